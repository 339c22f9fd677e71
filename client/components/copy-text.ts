/**
 * Copying a message's text (issue 15), in the app and in the widget's
 * frame: the asynchronous clipboard API first; where it is missing or
 * refused (a cross-origin frame whose host page did not delegate
 * `clipboard-write`, an insecure page, a browser's own policy), the older
 * `document.execCommand('copy')` over a hidden field, which needs only the
 * click. Says whether the text is on the clipboard, so the caller can say
 * "Copied" or tell the person to copy it themselves.
 */

/** What copying uses of the browser (injected by tests). */
export interface CopyEnvironment {
  /** `navigator.clipboard`, where there is one. */
  clipboard?: { writeText(text: string): Promise<void> } | undefined;
  /** The old way: true when the browser says it copied. */
  execCopy?: (text: string) => boolean;
}

/** Copies over a hidden field in `document`, as browsers without the clipboard API (or refusing it) allow on a click. */
export function execCopy(text: string): boolean {
  if (typeof document === 'undefined') return false;
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;';
  const active = document.activeElement as HTMLElement | null;
  document.body.append(field);
  field.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  } finally {
    field.remove();
    active?.focus({ preventScroll: true });
  }
  return copied;
}

/** Puts `text` on the clipboard; false when the browser let neither way do it. */
export async function copyText(
  text: string,
  environment: CopyEnvironment = { clipboard: globalThis.navigator?.clipboard, execCopy },
): Promise<boolean> {
  if (environment.clipboard) {
    try {
      await environment.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (permission policy, no focus): the old way may still be allowed.
    }
  }
  return environment.execCopy?.(text) ?? false;
}
