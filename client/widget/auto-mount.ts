/**
 * Mounting the launcher from the loader's own script tag, and keeping it
 * mounted when a single-page app replaces the body's children or the body.
 */

/** `data-*` attributes of the script tag that become the element's attributes. */
const COPIED = ['site', 'color', 'position', 'chat-title', 'greeting', 'locale'];

/** The `<script data-site>` that loaded `scriptUrl`, if the page has one. */
function ownScript(scriptUrl: string): HTMLScriptElement | undefined {
  const url = new URL(scriptUrl);
  const same = (src: string) => {
    const candidate = new URL(src, document.baseURI);
    return candidate.origin === url.origin && candidate.pathname === url.pathname;
  };
  return [...document.querySelectorAll<HTMLScriptElement>('script[data-site]')].find((script) => script.src && same(script.src));
}

/** Appends the element described by the script tag; none when there is no tag or the page already has a widget for that site. */
export function mountFromScript(tag: string, scriptUrl: string): HTMLElement | undefined {
  const script = ownScript(scriptUrl);
  const site = script?.dataset.site?.trim();
  if (!script || !site) return undefined;
  const existing = [...document.querySelectorAll(tag)].find((element) => element.getAttribute('site') === site);
  if (existing) return undefined;
  const widget = document.createElement(tag);
  for (const name of COPIED) {
    const value = script.getAttribute(`data-${name}`);
    if (value !== null) widget.setAttribute(name, value);
  }
  document.body.append(widget);
  return widget;
}

/** Puts the element back when the page's body, or its children, are replaced (SPA navigation). */
export function keepMounted(widget: HTMLElement): void {
  let watchedBody: HTMLElement | null = null;
  const observer = new MutationObserver(() => {
    if (!widget.isConnected && document.body) document.body.append(widget);
    watch();
  });
  function watch(): void {
    if (watchedBody === document.body) return;
    observer.disconnect();
    observer.observe(document.documentElement, { childList: true });
    watchedBody = document.body;
    if (watchedBody) observer.observe(watchedBody, { childList: true });
  }
  watch();
}
