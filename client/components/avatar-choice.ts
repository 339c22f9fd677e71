/**
 * Choosing a profile or group picture: the hidden file input behind a "Change picture" button, and
 * the chosen file scaled to avatar size in the browser (the scaler is loaded only when a picture is
 * chosen, so the first paint does not carry it). Shared by the profile editor and group settings.
 */
import { AVATAR_MAX_SIDE } from '../../shared/limits.js';

/** Opens the file chooser of the first file input in `root`. */
export function openFileChooser(root: ParentNode): void {
  root.querySelector<HTMLInputElement>('input[type=file]')?.click();
}

/** The file chosen in the input that sent `event`; the input is cleared so the same file can be chosen again. */
export function takeChosenFile(event: Event): File | undefined {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  return file;
}

/** `file` scaled to avatar size, ready to upload; or why it cannot be used. */
export async function scaledAvatar(file: File): Promise<{ ok: true; blob: Blob } | { ok: false; message: string }> {
  const { scalePicture } = await import('../data/pictures/image-scaling.js');
  const scaled = await scalePicture(file, AVATAR_MAX_SIDE);
  if (!scaled.ok) return { ok: false, message: scaled.message };
  return { ok: true, blob: new Blob([scaled.picture.bytes], { type: scaled.picture.mime }) };
}
