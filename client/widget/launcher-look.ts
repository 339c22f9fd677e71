/**
 * How the launcher looks: each setting comes from the element's attribute,
 * else the host page's CSS custom property, else the site's settings
 * (`GET /api/widget/config`), else a default. Pure.
 */
import type { PublicSiteConfig } from '../../shared/widget.js';

export interface LauncherLook {
  color: string;
  position: 'left' | 'right';
  /** Names the launcher, the dialog and the frame ("Chat with …"); empty until known. */
  title: string;
  /** Empty: the iframe shows the site's own greeting. */
  greeting: string;
  locale: string;
}

export interface LookSources {
  attribute(name: 'color' | 'position' | 'chat-title' | 'greeting' | 'locale'): string | null;
  /** The computed value of a custom property on the element, e.g. `--happy-chat-color` (raw, maybe quoted). */
  cssVariable(name: string): string;
  config: PublicSiteConfig | null;
  documentLocale: string;
  isColor(value: string): boolean;
}

export const DEFAULT_COLOR = '#2f6fde';

/** A CSS custom property's raw value as text: trimmed, surrounding quotes removed. */
export function cssText(raw: string): string {
  const value = raw.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(value);
  return quoted ? (quoted[2] ?? '') : value;
}

export function resolveLook(sources: LookSources): LauncherLook {
  const pick = (attribute: Parameters<LookSources['attribute']>[0], variable: string, fromConfig: string | undefined): string => {
    const own = sources.attribute(attribute)?.trim();
    if (own) return own;
    const styled = cssText(sources.cssVariable(variable));
    return styled || fromConfig || '';
  };
  const config = sources.config;
  const color = pick('color', '--happy-chat-color', config?.color);
  const position = pick('position', '--happy-chat-position', config?.position);
  return {
    color: color && sources.isColor(color) ? color : (config?.color ?? DEFAULT_COLOR),
    position: position === 'left' ? 'left' : 'right',
    title: pick('chat-title', '--happy-chat-title', config?.name),
    greeting: pick('greeting', '--happy-chat-greeting', undefined),
    locale: sources.attribute('locale')?.trim() || sources.documentLocale || 'en',
  };
}
