/**
 * The keys of a row of tabs (WAI-ARIA tabs pattern, issue 16): Left and
 * Right move to the neighbouring tab and wrap around, Home and End go to the
 * first and the last. Kept apart from the element that renders the tabs so
 * any row of tabs can use it.
 */

/** The tab `key` moves to from `current`, or undefined when the key is not one of the tab keys. */
export function tabForKey<T>(key: string, tabs: readonly T[], current: T): T | undefined {
  const index = tabs.indexOf(current);
  switch (key) {
    case 'ArrowRight':
      return tabs[(index + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(index - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs.at(-1);
    default:
      return undefined;
  }
}
