/**
 * Dates, numbers, plurals and relative days in the language msg() speaks,
 * through `Intl`: one formatter per language and options, made on first use
 * (making an Intl formatter costs far more than using one).
 */
import { currentLocale } from './localization.js';

const made = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules | Intl.RelativeTimeFormat>(
  kind: string,
  options: object,
  make: (locale: string) => T,
): T {
  const locale = currentLocale();
  const key = `${kind} ${locale} ${JSON.stringify(options)}`;
  let format = made.get(key);
  if (!format) {
    format = make(locale);
    made.set(key, format);
  }
  return format as T;
}

/** A date formatter for the current language. */
export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached('date', options, (locale) => new Intl.DateTimeFormat(locale, options));
}

/** `value` as the current language writes numbers ("1,234"). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached('number', options, (locale) => new Intl.NumberFormat(locale, options)).format(value);
}

/**
 * The text for `count` things, chosen by the current language's plural rule:
 * English tells one from many, Chinese does not (every count is `other`).
 * `forms.one` is used for English "1 member"; anything else takes `forms.other`.
 */
export function plural(count: number, forms: { one: () => string; other: () => string }): string {
  const category = cached('plural', {}, (locale) => new Intl.PluralRules(locale)).select(count);
  return category === 'one' ? forms.one() : forms.other();
}

/**
 * A day relative to today ("Today", "Yesterday" / "今天", "昨天"), written by
 * the language's own rules, with a capital where the language has one.
 */
export function relativeDay(daysFromToday: number): string {
  const text = cached('relative', { numeric: 'auto' }, (locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })).format(
    daysFromToday,
    'day',
  );
  return text.charAt(0).toLocaleUpperCase(currentLocale()) + text.slice(1);
}

/** How long ago, in the largest whole unit ("3 minutes ago", "3分钟前"; "now" under a minute). */
export function relativeTime(then: Date, now: Date = new Date()): string {
  const format = cached('relative', { numeric: 'auto' }, (locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}
