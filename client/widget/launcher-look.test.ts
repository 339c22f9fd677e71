import { describe, expect, it } from 'vitest';
import type { PublicSiteConfig } from '../../shared/widget.js';
import { cssText, DEFAULT_COLOR, resolveLook, type LookSources } from './launcher-look.js';

const config: PublicSiteConfig = { key: 'sabc', name: 'Shop', greeting: 'Hello', color: '#112233', position: 'left' };

function sources(
  attributes: Record<string, string>,
  css: Record<string, string> = {},
  site: PublicSiteConfig | null = config,
): LookSources {
  return {
    attribute: (name) => attributes[name] ?? null,
    cssVariable: (name) => css[name] ?? '',
    config: site,
    documentLocale: 'fr',
    isColor: (value) => /^#[0-9a-f]{3,8}$/i.test(value) || value === 'tomato',
  };
}

describe('resolveLook', () => {
  it('prefers the attribute, then the CSS custom property, then the site settings', () => {
    expect(resolveLook(sources({ color: 'tomato' }, { '--happy-chat-color': '#000' })).color).toBe('tomato');
    expect(resolveLook(sources({}, { '--happy-chat-color': ' #000 ' })).color).toBe('#000');
    expect(resolveLook(sources({})).color).toBe('#112233');
    expect(resolveLook(sources({}, {}, null)).color).toBe(DEFAULT_COLOR);
  });

  it('falls back when a colour is not a colour', () => {
    expect(resolveLook(sources({ color: 'red; background: url(x)' })).color).toBe('#112233');
  });

  it('takes titles and greetings from quoted custom properties', () => {
    const look = resolveLook(sources({}, { '--happy-chat-title': '"Support"', '--happy-chat-greeting': "'Ask us anything'" }));
    expect(look).toMatchObject({ title: 'Support', greeting: 'Ask us anything', position: 'left', locale: 'fr' });
    expect(resolveLook(sources({ position: 'middle', locale: 'zh-CN' }, {}, null))).toMatchObject({
      position: 'right',
      title: '',
      locale: 'zh-CN',
    });
  });

  it('reads custom property text', () => {
    expect(cssText('  "a b"  ')).toBe('a b');
    expect(cssText('plain')).toBe('plain');
  });
});
