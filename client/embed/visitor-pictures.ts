/**
 * The pictures of the visitor's conversation, for the frame (issue 15): the
 * app shows `/api/blobs/<id>` with its session cookie, which a third-party
 * frame never has, so each picture is fetched once with the visitor's token
 * and shown from an object URL. A failed fetch (offline) is tried again
 * when the list asks for it after `retryAfterMs`.
 */
import type { VisitorApi } from './visitor-api.js';

export type PictureView = { kind: 'loading' } | { kind: 'shown'; url: string } | { kind: 'failed' };

export class VisitorPictures {
  private readonly views = new Map<string, PictureView & { at: number }>();

  constructor(
    private readonly api: Pick<VisitorApi, 'picture'>,
    /** Called when a picture finished loading (or failed), so the list renders again. */
    private readonly onChange: () => void,
    private readonly retryAfterMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** How to show the picture now; starts fetching it the first time (and again a while after a failure). */
  view(token: string | undefined, blobId: string): PictureView {
    const known = this.views.get(blobId);
    if (known && !(known.kind === 'failed' && this.now() - known.at >= this.retryAfterMs)) return known;
    if (!token) return { kind: 'failed' };
    this.views.set(blobId, { kind: 'loading', at: this.now() });
    void this.load(token, blobId);
    return { kind: 'loading' };
  }

  /** Lets go of every object URL (the frame is going away, or the visitor was reset). */
  clear(): void {
    for (const view of this.views.values()) if (view.kind === 'shown') URL.revokeObjectURL(view.url);
    this.views.clear();
  }

  private async load(token: string, blobId: string): Promise<void> {
    const bytes = await this.api.picture(token, blobId);
    this.views.set(blobId, bytes ? { kind: 'shown', url: URL.createObjectURL(bytes), at: this.now() } : { kind: 'failed', at: this.now() });
    this.onChange();
  }
}
