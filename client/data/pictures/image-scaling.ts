/**
 * Prepares a picture for upload in the browser: decoded with its camera
 * orientation applied, scaled down to at most 2048 px a side, and encoded
 * again (WebP where the browser can, JPEG elsewhere). Re-encoding also drops
 * the photo's metadata (location, camera) before it leaves the device.
 * Loaded with a dynamic import when the first picture is picked.
 */
import { msg } from '@lit/localize';
import { PICTURE_MAX_SIDE, fitWithin, type Size } from './image-size.js';

export interface ScaledPicture extends Size {
  bytes: ArrayBuffer;
  mime: string;
}

export type ScaleResult = { ok: true; picture: ScaledPicture } | { ok: false; message: string };

const ACCEPTED = /^image\/(png|jpeg|gif|webp|avif|bmp|heic|heif)$/i;
const QUALITY = 0.85;
/** A GIF this small and this size is sent as it is, so it keeps its animation. */
const GIF_KEEP_BYTES = 4 * 1024 * 1024;

/** `maxSide`: 2048 for pictures in messages; avatars and group pictures pass AVATAR_MAX_SIDE. */
export async function scalePicture(file: Blob, maxSide = PICTURE_MAX_SIDE): Promise<ScaleResult> {
  if (file.type && !ACCEPTED.test(file.type)) return { ok: false, message: msg('Only pictures can be sent.') };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return { ok: false, message: msg('This picture cannot be read.') };
  }
  try {
    const original = { width: bitmap.width, height: bitmap.height };
    const target = fitWithin(original, maxSide);
    if (file.type === 'image/gif' && file.size <= GIF_KEEP_BYTES && target.width === original.width) {
      return { ok: true, picture: { bytes: await file.arrayBuffer(), mime: 'image/gif', ...original } };
    }
    const blob = await encode(bitmap, target);
    if (!blob) return { ok: false, message: msg('This picture cannot be prepared for sending.') };
    return { ok: true, picture: { bytes: await blob.arrayBuffer(), mime: blob.type, ...target } };
  } finally {
    bitmap.close();
  }
}

async function encode(bitmap: ImageBitmap, size: Size): Promise<Blob | null> {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  const webp = await toBlob(canvas, 'image/webp');
  // Browsers that cannot write WebP answer with a PNG instead.
  if (webp?.type === 'image/webp') return webp;
  // JPEG has no transparency: paint it on white, not black.
  context.globalCompositeOperation = 'destination-over';
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size.width, size.height);
  return toBlob(canvas, 'image/jpeg');
}

function toBlob(canvas: HTMLCanvasElement, type: string): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, QUALITY));
}
