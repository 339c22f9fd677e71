/**
 * Whether a screen may put focus in a text field by itself (the sign-in
 * form on load, the message box when a conversation opens). With a
 * keyboard and a fine pointer it saves presses (issue 16); on a touch
 * screen focusing a field pops up the on-screen keyboard over what the
 * person came to read, so there it waits for a tap.
 */
export function mayFocusFieldUnasked(): boolean {
  return !window.matchMedia('(pointer: coarse)').matches;
}
