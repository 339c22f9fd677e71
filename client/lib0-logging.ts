/**
 * `lib0/logging` for the browser build (vite.config.ts points the import
 * here). Yjs imports it for a few rare console warnings; lib0's browser
 * version colours them through `lib0/dom`, which pulls in `lib0/schema` and
 * `lib0/prng` (about 2 KB gzip of the app shell). This one prints the same
 * text without colours. Tests and the server use lib0's own.
 */

/** Style markers Yjs passes along with the text; they are left out here. */
export const BOLD = Symbol('bold');
export const UNBOLD = Symbol('unbold');
export const BLUE = Symbol('blue');
export const GREY = Symbol('grey');
export const GREEN = Symbol('green');
export const RED = Symbol('red');
export const PURPLE = Symbol('purple');
export const ORANGE = Symbol('orange');
export const UNCOLOR = Symbol('uncolor');

type Arg = unknown;

/** Leading strings and numbers become one string (as lib0 prints them); other values follow as they are. */
function plain(args: Arg[]): Arg[] {
  const values = args.length === 1 && typeof args[0] === 'function' ? (args[0] as () => Arg[])() : args;
  const shown = values.filter((value) => typeof value !== 'symbol');
  let text = 0;
  while (text < shown.length && (typeof shown[text] === 'string' || typeof shown[text] === 'number')) text++;
  return text === 0 ? shown : [shown.slice(0, text).join(''), ...shown.slice(text)];
}

export const print = (...args: Arg[]): void => console.log(...plain(args));
export const warn = (...args: Arg[]): void => console.warn(...plain(args));
export const printError = (error: Error): void => console.error(error);
export const group = (...args: Arg[]): void => console.group(...plain(args));
export const groupCollapsed = (...args: Arg[]): void => console.groupCollapsed(...plain(args));
export const groupEnd = (): void => console.groupEnd();
