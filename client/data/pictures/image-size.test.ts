import { describe, expect, it } from 'vitest';
import { fitWithin, thumbnailSize, uploadSize } from './image-size.js';

describe('picture sizes', () => {
  it('scales a large photo to 2048 px on its longest side, keeping its proportions', () => {
    expect(uploadSize({ width: 4032, height: 3024 })).toEqual({ width: 2048, height: 1536 });
    expect(uploadSize({ width: 3024, height: 4032 })).toEqual({ width: 1536, height: 2048 });
    expect(uploadSize({ width: 10000, height: 10 })).toEqual({ width: 2048, height: 2 });
  });

  it('never enlarges, and never goes below one pixel', () => {
    expect(uploadSize({ width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
    expect(fitWithin({ width: 20000, height: 1 }, 100)).toEqual({ width: 100, height: 1 });
    expect(fitWithin({ width: 0, height: 5 }, 100)).toEqual({ width: 1, height: 1 });
  });

  it('fits thumbnails in their box, and guesses a box when the size is unknown', () => {
    expect(thumbnailSize({ width: 2048, height: 1536 })).toEqual({ width: 280, height: 210 });
    expect(thumbnailSize({ width: 1000, height: 4000 })).toEqual({ width: 80, height: 320 });
    expect(thumbnailSize({ width: 100, height: 50 })).toEqual({ width: 100, height: 50 });
    expect(thumbnailSize({})).toEqual({ width: 280, height: 210 });
  });
});
