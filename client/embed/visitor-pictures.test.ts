/** The frame's pictures: fetched once with the visitor's token, shown from an object URL, a failure tried again later. */
import { describe, expect, it } from 'vitest';
import { VisitorPictures } from './visitor-pictures.js';

/** A promise for the next `onChange` call, and the callback that resolves it. */
function nextChange(): { changed: Promise<void>; onChange: () => void } {
  let onChange: () => void = () => {};
  const changed = new Promise<void>((resolve) => (onChange = resolve));
  return { changed, onChange: () => onChange() };
}

describe('visitor pictures', () => {
  it('fetches a picture once, with the token, and tells the list when it is there', async () => {
    const asked: Array<[string, string]> = [];
    const { changed, onChange } = nextChange();
    const png = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
    const pictures = new VisitorPictures(
      {
        picture: async (token, blobId) => {
          asked.push([token, blobId]);
          return png;
        },
      },
      onChange,
    );
    expect(pictures.view('tok', 'b1')).toEqual({ kind: 'loading' });
    expect(pictures.view('tok', 'b1')).toMatchObject({ kind: 'loading' });
    await changed;
    expect(pictures.view('tok', 'b1')).toMatchObject({ kind: 'shown', url: expect.stringMatching(/^blob:/) });
    expect(asked).toEqual([['tok', 'b1']]);
    pictures.clear();
  });

  it('asks again for a picture that failed, but only after a while', async () => {
    let now = 0;
    let calls = 0;
    const { changed, onChange } = nextChange();
    const pictures = new VisitorPictures(
      {
        picture: async () => {
          calls++;
          return undefined;
        },
      },
      onChange,
      10_000,
      () => now,
    );
    pictures.view('tok', 'b1');
    await changed;
    expect(pictures.view('tok', 'b1')).toMatchObject({ kind: 'failed' });
    expect(calls).toBe(1);
    now = 10_000;
    expect(pictures.view('tok', 'b1')).toEqual({ kind: 'loading' });
    expect(calls).toBe(2);
  });
});
