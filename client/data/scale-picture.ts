/**
 * Pictures are scaled down in the browser before upload (avatars and group
 * pictures to AVATAR_MAX_SIDE): less to send, and re-encoding drops the
 * photo's metadata (camera, place) before it leaves the device.
 */

export interface Size {
  width: number;
  height: number;
}

/** The size that fits within `maxSide` on both sides, keeping the aspect ratio; never enlarges. */
export function scaledSize(size: Size, maxSide: number): Size {
  const { width, height } = size;
  if (!(width > 0 && height > 0)) return { width: 0, height: 0 };
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export class PictureError extends Error {}

/**
 * Decodes a picture the person picked and encodes it again at most
 * `maxSide` pixels a side: WebP where the browser can encode it, else PNG
 * (both keep transparency). Rejects with a PictureError when the file is
 * not a picture the browser can read.
 */
export async function scalePicture(file: Blob, maxSide: number): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PictureError('This file is not a picture this browser can read.');
  }
  try {
    const size = scaledSize(bitmap, maxSide);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (!context) throw new PictureError('This browser cannot prepare the picture.');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.9));
    if (!blob) throw new PictureError('This browser cannot prepare the picture.');
    return blob;
  } finally {
    bitmap.close();
  }
}
