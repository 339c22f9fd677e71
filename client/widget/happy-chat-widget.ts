/**
 * `<happy-chat-widget site="KEY">`: the launcher bubble on the host page,
 * in shadow DOM. The conversation lives in an iframe from the chat origin,
 * created the first time the visitor opens it; the two talk by postMessage
 * with exact origins (shared/widget-protocol.ts). No Lit here: the loader
 * must stay a few KB.
 */
import type { PublicSiteConfig } from '../../shared/widget.js';
import type { HostToFrame, WidgetUser } from '../../shared/widget-protocol.js';
import { CHAT_ORIGIN, fetchSiteConfig } from './chat-origin.js';
import { cleanUser, frameMessage, helloMessage } from './frame-messages.js';
import { happyChat, type WidgetControls, type WidgetEventName } from './happy-chat-api.js';
import { resolveLook, type LauncherLook } from './launcher-look.js';
import { launcherStrings, speakLauncherLanguage } from './launcher-strings.js';
import { CHAT_ICON, CLOSE_ICON, LAUNCHER_CSS } from './launcher-styles.js';

const SVG = 'http://www.w3.org/2000/svg';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

export class HappyChatWidget extends HTMLElement implements WidgetControls {
  static readonly observedAttributes = ['site', 'color', 'position', 'chat-title', 'greeting', 'locale'];

  private readonly box = element('div', { class: 'box' });
  private readonly launcher = element('button', { class: 'launcher', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' });
  private readonly icon = document.createElementNS(SVG, 'svg');
  private readonly iconPath = document.createElementNS(SVG, 'path');
  private readonly badge = element('span', { class: 'badge', hidden: '' });
  private readonly panel = element('div', { class: 'panel', role: 'dialog', 'aria-modal': 'true', hidden: '' });
  /** Focus sentinels: tabbing past either end of the open widget comes back around. */
  private readonly trapStart = element('span', { class: 'trap', tabindex: '-1' });
  private readonly trapEnd = element('span', { class: 'trap', tabindex: '-1' });
  private frame: HTMLIFrameElement | null = null;
  private frameLoaded = false;
  private isOpen = false;
  private config: PublicSiteConfig | null = null;
  private configSite = '';
  private look: LauncherLook | null = null;
  private user: WidgetUser | null = null;
  private resetPending = false;
  private unread = 0;
  /** The `locale` (setting or page lang) whose texts the launcher speaks. */
  private spokenLocale = '';

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    if ('replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(LAUNCHER_CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      // Safari before 16.4: a <style> element (needs 'unsafe-inline' under a strict host CSP).
      root.append(Object.assign(element('style'), { textContent: LAUNCHER_CSS }));
    }
    this.icon.setAttribute('viewBox', '0 0 24 24');
    this.icon.setAttribute('aria-hidden', 'true');
    this.icon.append(this.iconPath);
    this.launcher.append(this.icon, this.badge);
    this.box.append(this.trapStart, this.panel, this.launcher, this.trapEnd);
    root.append(this.box);
    this.launcher.addEventListener('click', () => this.toggle());
    this.trapStart.addEventListener('focus', () => this.focusables().at(-1)?.focus());
    this.trapEnd.addEventListener('focus', () => this.focusables()[0]?.focus());
    root.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key !== 'Escape' || !this.isOpen) return;
      event.stopPropagation();
      this.close();
    });
  }

  get site(): string {
    return this.getAttribute('site')?.trim() ?? '';
  }

  connectedCallback(): void {
    window.addEventListener('message', this.onMessage);
    happyChat.attach(this);
    this.render();
    void this.loadConfig();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
    happyChat.detach(this);
    // The frame's document goes with the element; a re-mount loads it again and greets it anew.
    this.frameLoaded = false;
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (name === 'site' && before !== null && before !== after) {
      this.frame?.remove();
      this.frame = null;
      this.frameLoaded = false;
      this.config = null;
      void this.loadConfig();
    }
    this.render();
  }

  open(): void {
    if (this.isOpen || !this.site) return;
    this.isOpen = true;
    if (!this.frame) this.createFrame();
    this.render();
    this.post({ v: 1, type: 'visibility', open: true });
    if (this.frameLoaded) this.frame?.focus();
    this.emit('open');
  }

  close(): void {
    if (!this.isOpen) return;
    const hadFocus = this.matches(':focus-within');
    this.isOpen = false;
    this.render();
    this.post({ v: 1, type: 'visibility', open: false });
    if (hadFocus) this.launcher.focus();
    this.emit('close');
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  setUser(user: unknown): void {
    const clean = cleanUser(user);
    if (!clean) {
      console.warn('HappyChat.setUser needs {id, name?, email?, hash?} with a non-empty id');
      return;
    }
    this.user = clean;
    this.post({ v: 1, type: 'set-user', user: clean });
  }

  reset(): void {
    this.user = null;
    this.setBadge(0);
    // Without a frame the token still sits in the frame's storage: forget it when the frame comes.
    if (this.frameLoaded) this.post({ v: 1, type: 'reset' });
    else this.resetPending = true;
  }

  private createFrame(): void {
    // `allow`: a cross-origin frame gets the microphone (voice messages, issue 15) and the clipboard API (Copy) only when its embedder delegates them.
    const frame = element('iframe', {
      src: `${CHAT_ORIGIN}/embed?site=${encodeURIComponent(this.site)}`,
      allow: 'microphone; clipboard-write',
    });
    frame.addEventListener('load', () => this.greetFrame());
    this.frame = frame;
    this.panel.append(frame);
    this.render();
  }

  /** Every load of the frame (first open, re-mount): what was pending, then hello, then whether it shows. */
  private greetFrame(): void {
    this.frameLoaded = true;
    if (this.resetPending) {
      this.resetPending = false;
      this.post({ v: 1, type: 'reset' });
    }
    if (this.user) this.post({ v: 1, type: 'set-user', user: this.user });
    const look = this.look;
    this.post(helloMessage(this.site, { locale: look?.locale, title: look?.title, greeting: look?.greeting }));
    this.post({ v: 1, type: 'visibility', open: this.isOpen });
    if (this.isOpen) this.frame?.focus();
  }

  /** Into our frame only: the target origin is the chat's, so nothing else can read it. */
  private post(message: HostToFrame): void {
    if (this.frameLoaded) this.frame?.contentWindow?.postMessage(message, CHAT_ORIGIN);
  }

  private readonly onMessage = (event: MessageEvent): void => {
    const message = frameMessage(event, CHAT_ORIGIN, this.frame?.contentWindow);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        return this.emit('ready');
      case 'close':
        return this.close();
      case 'message':
        return this.emit('message', { preview: message.preview });
      case 'unread':
        this.setBadge(message.count);
        return this.emit('unread', { count: message.count });
    }
  };

  private emit(name: WidgetEventName, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(`happy-chat-${name}`, { detail, bubbles: true, composed: true }));
    happyChat.emit(name, detail);
  }

  private async loadConfig(): Promise<void> {
    const site = this.site;
    if (!site || this.configSite === site) return;
    this.configSite = site;
    const config = await fetchSiteConfig(site);
    if (this.site !== site) return;
    if (!config)
      console.warn(`HappyChat: could not read the settings of site ${site} (offline, or ${location.origin} is not one of its origins)`);
    this.config = config;
    this.render();
  }

  private setBadge(count: number): void {
    this.unread = count;
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 99 ? '99+' : String(count);
    this.render();
  }

  private focusables(): HTMLElement[] {
    const list: HTMLElement[] = [];
    if (this.frame) list.push(this.frame);
    if (getComputedStyle(this.launcher).display !== 'none') list.push(this.launcher);
    return list;
  }

  private render(): void {
    const styles = this.isConnected ? getComputedStyle(this) : null;
    const look = resolveLook({
      attribute: (name) => this.getAttribute(name),
      cssVariable: (name) => styles?.getPropertyValue(name) ?? '',
      config: this.config,
      documentLocale: document.documentElement.lang,
      isColor: (value) => CSS.supports('color', value),
    });
    this.look = look;
    // A new language loads its texts first, then renders again (once: the next call finds it in place).
    if (look.locale !== this.spokenLocale) {
      this.spokenLocale = look.locale;
      void speakLauncherLanguage(look.locale).then(() => this.render());
    }
    const strings = launcherStrings();
    const label = strings.chatWith(look.title);
    this.box.className = `box ${look.position}${this.isOpen ? ' open' : ''}`;
    this.box.style.setProperty('--hc-color', look.color);
    this.panel.hidden = !this.isOpen;
    this.panel.setAttribute('aria-label', label);
    this.frame?.setAttribute('title', label);
    const unread = this.unread > 0 ? `, ${strings.unread(this.unread)}` : '';
    this.launcher.setAttribute('aria-label', (this.isOpen ? strings.close : strings.open) + unread);
    this.launcher.setAttribute('aria-expanded', String(this.isOpen));
    this.iconPath.setAttribute('d', this.isOpen ? CLOSE_ICON : CHAT_ICON);
    for (const trap of [this.trapStart, this.trapEnd]) trap.tabIndex = this.isOpen ? 0 : -1;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'happy-chat-widget': HappyChatWidget;
  }
}
