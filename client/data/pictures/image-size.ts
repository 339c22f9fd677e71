/** Sizes of pictures: how far to scale before upload, and how big a thumbnail shows. Pure. */

/** Longest side of a picture we upload (DESIGN: pictures are scaled in the browser). */
export const PICTURE_MAX_SIDE = 2048;
/** Box a thumbnail in the message list fits in, in CSS pixels. */
export const THUMBNAIL_BOX = { width: 280, height: 320 } as const;

export interface Size {
  width: number;
  height: number;
}

/**
 * The largest size with the same proportions whose sides are at most
 * `maxWidth` × `maxHeight`; never larger than the original, at least 1 px.
 */
export function fitWithin(size: Size, maxWidth: number, maxHeight: number = maxWidth): Size {
  const { width, height } = size;
  if (!(width > 0) || !(height > 0)) return { width: 1, height: 1 };
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The size a picture is uploaded at. */
export function uploadSize(size: Size): Size {
  return fitWithin(size, PICTURE_MAX_SIDE);
}

/** The size a thumbnail is drawn at (set as width/height so the list does not jump while it loads). */
export function thumbnailSize(size: Partial<Size>): Size {
  const width = size.width && size.width > 0 ? size.width : THUMBNAIL_BOX.width;
  const height = size.height && size.height > 0 ? size.height : Math.round(THUMBNAIL_BOX.width * 0.75);
  return fitWithin({ width, height }, THUMBNAIL_BOX.width, THUMBNAIL_BOX.height);
}
