/**
 * What the engines suite runs inside the page, as source text: each engine's
 * driver (Puppeteer over BiDi, WebDriver for WebKit) takes a script string,
 * and text is the one form all of them run alike. The app is Lit, so every
 * lookup walks open shadow roots, as Playwright's getByTestId does.
 */
export const IN_PAGE_HELPERS = String.raw`
const all = (selector, root = document, out = []) => {
  for (const el of root.querySelectorAll('*')) {
    if (el.matches(selector)) out.push(el);
    if (el.shadowRoot) all(selector, el.shadowRoot, out);
  }
  return out;
};
const byTestId = (id) => all('[data-testid="' + id + '"]');
const visible = (el) => el.getClientRects().length > 0;
const text = (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
const one = (id, hasText) => {
  const found = byTestId(id).filter((el) => visible(el) && (hasText === undefined || text(el).includes(hasText)));
  if (found.length !== 1) throw new Error(found.length + ' visible [data-testid="' + id + '"]' + (hasText ? ' with "' + hasText + '"' : ''));
  return found[0];
};
const fill = (id, value) => {
  const el = one(id);
  el.focus();
  el.value = value;
  el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: value }));
  el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
};
const click = (id, hasText) => {
  const el = one(id, hasText);
  if (el.disabled) throw new Error('[data-testid="' + id + '"] is disabled');
  el.click();
};
const messages = () => byTestId('message').map((m) => ({ state: m.dataset.state, text: text(m.querySelector('[data-testid="message-text"]') ?? document.createElement('i')) }));
`;
