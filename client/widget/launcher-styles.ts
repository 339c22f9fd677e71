/**
 * The launcher's shadow-DOM styles: nothing leaks in from the host page or
 * out to it. Adopted as a constructed stylesheet, which a host page's CSP
 * without 'unsafe-inline' still allows.
 */
export const LAUNCHER_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.box {
  --hc-offset: var(--happy-chat-offset, 20px);
  --hc-layer: var(--happy-chat-z-index, 2147483000);
  font-family: var(--happy-chat-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
}
.launcher {
  position: fixed; bottom: var(--hc-offset); right: var(--hc-offset); z-index: var(--hc-layer);
  display: grid; place-items: center; width: 56px; height: 56px; padding: 0;
  color: #fff; background: var(--hc-color); border: 0; border-radius: 50%; cursor: pointer;
  box-shadow: 0 4px 16px rgb(0 0 0 / 22%);
}
.launcher:hover { filter: brightness(1.08); }
.launcher:focus-visible { outline: 3px solid var(--hc-color); outline-offset: 3px; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 6px;
  font-size: 12px; font-weight: 600; line-height: 20px; text-align: center; color: #fff; background: #d93025; border-radius: 10px;
}
.badge[hidden], .panel[hidden] { display: none; }
.panel {
  position: fixed; right: var(--hc-offset); bottom: calc(var(--hc-offset) + 68px); z-index: var(--hc-layer);
  width: 380px; height: min(640px, calc(100vh - var(--hc-offset) - 88px));
  overflow: hidden; background: #fff; border-radius: 16px; box-shadow: 0 8px 40px rgb(0 0 0 / 25%);
}
.left .launcher, .left .panel { right: auto; left: var(--hc-offset); }
iframe { display: block; width: 100%; height: 100%; border: 0; }
.trap { position: fixed; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
@media (max-width: 640px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .open .launcher { display: none; }
}
@media (prefers-reduced-motion: no-preference) {
  .panel { animation: hc-in 160ms ease-out; }
  @keyframes hc-in { from { opacity: 0; transform: translateY(12px); } }
}
`;

/** Icon paths (24×24); the element draws them with DOM calls, which host pages' Trusted Types policies allow. */
export const CHAT_ICON = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z';
export const CLOSE_ICON =
  'M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z';
