/**
 * The one place the client turns a stored time into text. Times come from
 * other people's documents: a value the rules refuse today (issue 20) may
 * still sit in an old document, and `new Date(1e300).toISOString()` or
 * `Intl.DateTimeFormat#format` of it throws, which used to stop a whole
 * message list from rendering. Every function here takes `unknown` and
 * returns nothing for a time it cannot show, never throws.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { isMessageTime } from '../../shared/message-rules.js';
import { dateFormat, relativeDay } from '../i18n/formats.js';
import { currentLocale } from '../i18n/localization.js';

// In the language msg() speaks (client/i18n/formats.ts), so a live switch re-dates the list too.
const timeFormat = () => dateFormat({ hour: '2-digit', minute: '2-digit' });
const dayFormat = () => dateFormat({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const fullFormat = () => dateFormat({ dateStyle: 'medium', timeStyle: 'short' });

/** The time as a Date when it is one the rules allow (so every formatter can take it); undefined otherwise. */
export function shownDate(value: unknown): Date | undefined {
  return isMessageTime(value) ? new Date(value) : undefined;
}

/** `value` formatted with `format`, or '' when it is not a time that can be shown. */
export function formatWith(format: Intl.DateTimeFormat, value: unknown): string {
  const date = shownDate(value);
  return date ? format.format(date) : '';
}

/** Hours and minutes ("14:05"), or '' for a time that cannot be shown. */
export function formatTime(value: unknown): string {
  return formatWith(timeFormat(), value);
}

/** Date and time in full, for a tooltip; '' for a time that cannot be shown. */
export function formatFullTime(value: unknown): string {
  return formatWith(fullFormat(), value);
}

/** "Today", "Yesterday" (今天, 昨天) or the date; undefined for a time that cannot be shown (no day separator then). */
export function dayLabel(value: unknown, now: Date = new Date()): string | undefined {
  const date = shownDate(value);
  if (!date) return undefined;
  if (sameDay(date, now)) return relativeDay(0);
  if (isYesterday(date, now)) return relativeDay(-1);
  return dayFormat().format(date);
}

function isYesterday(date: Date, now: Date): boolean {
  return sameDay(date, new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
}

/**
 * The texts of a message's `<time>`, by language and time: the list renders
 * every message it shows again on each update (thousands, scrolled back
 * through older history segments), and formatting them was a visible part of
 * it in the profile (bench `history`). Emptied when it grows past a bound.
 */
const timeTexts = new Map<string, { iso: string; full: string; time: string }>();
const TIME_TEXTS_KEPT = 20_000;

/** A `<time>` element with the machine-readable time and a full tooltip; nothing for a time that cannot be shown. */
export function renderTime(value: unknown): TemplateResult | typeof nothing {
  const date = shownDate(value);
  if (!date) return nothing;
  const key = `${currentLocale()} ${date.getTime()}`;
  let texts = timeTexts.get(key);
  if (!texts) {
    if (timeTexts.size >= TIME_TEXTS_KEPT) timeTexts.clear();
    texts = { iso: date.toISOString(), full: fullFormat().format(date), time: timeFormat().format(date) };
    timeTexts.set(key, texts);
  }
  return html`<time datetime=${texts.iso} title=${texts.full}>${texts.time}</time>`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

const weekdayFormat = () => dateFormat({ weekday: 'short' });
const shortDateFormat = () => dateFormat({ day: 'numeric', month: 'short' });

/** A conversation list's time: "14:05" today, "Yesterday", the weekday this week, else the date; '' for a time that cannot be shown. */
export function listTime(value: unknown, now: Date = new Date()): string {
  const date = shownDate(value);
  if (!date) return '';
  if (sameDay(date, now)) return timeFormat().format(date);
  if (isYesterday(date, now)) return relativeDay(-1);
  const weekAgo = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6);
  return date >= weekAgo && date <= now ? weekdayFormat().format(date) : shortDateFormat().format(date);
}
