/**
 * Pinned messages (issue 15): the conversation's `pins` map, one entry per
 * pinned message (`{by, at}`), written offline-first like reactions and
 * checked with the relay's own rules first (shared/write-rules.ts: any member
 * pins in their own name and unpins any pin, unless the group keeps pins to
 * its admins, shared/pin-rights.ts). The bar over the list shows
 * the newest pin whose message is still there.
 */
import { msg } from '@lit/localize';
import type * as Y from 'yjs';
import { clampMessageTime } from '../../../shared/message-rules.js';
import { ConvRoot, messagesOf, pinsOf, type Message, type Pin } from '../../../shared/schema.js';
import { checkEntryChange, type EntryChange } from '../../../shared/write-rules.js';
import { mayPin } from '../../../shared/pin-rights.js';
import type { EditResult } from './message-edits.js';

/** Pins the message if it is not pinned, unpins it if it is. */
export function togglePin(doc: Y.Doc, meId: string, messageId: string, now: number = Date.now()): EditResult {
  const pins = pinsOf(doc);
  const current = pins.get(messageId);
  const previous = current === undefined ? null : { value: current };
  const pin: Pin = { by: meId, at: clampMessageTime(now) };
  const change: EntryChange = current
    ? { kind: 'remove', root: ConvRoot.pins, key: messageId, previous }
    : { kind: 'set', root: ConvRoot.pins, key: messageId, value: pin, previous, seen: previous };
  if (!mayPin(doc, meId)) return { ok: false, reason: msg('Only the group admins can pin messages.') };
  const refusal = checkEntryChange('conv', change, meId);
  if (refusal) return { ok: false, reason: refusal.detail };
  if (current) pins.delete(messageId);
  else pins.set(messageId, pin);
  return { ok: true };
}

/** The ids of the pinned messages. */
export function pinnedIds(doc: Y.Doc): Set<string> {
  return new Set(pinsOf(doc).keys());
}

/** A pinned message as the bar shows it. */
export interface ShownPin {
  message: Message;
  pin: Pin;
  /** How many messages are pinned (shown ones only). */
  count: number;
}

/**
 * The newest pin whose message is known and not deleted; null when none.
 * `messageOf` finds a message wherever the conversation keeps it (pins live
 * in `conv/<id>`, a message may be in a later history segment).
 */
export function latestPin(doc: Y.Doc, messageOf: (id: string) => Message | undefined = (id) => messagesOf(doc).get(id)): ShownPin | null {
  let latest: { message: Message; pin: Pin } | null = null;
  let count = 0;
  pinsOf(doc).forEach((pin, messageId) => {
    const message = messageOf(messageId);
    if (!message || message.deleted || typeof pin?.at !== 'number') return;
    count++;
    if (!latest || pin.at > latest.pin.at || (pin.at === latest.pin.at && messageId > latest.message.id)) latest = { message, pin };
  });
  const found = latest as { message: Message; pin: Pin } | null;
  return found ? { ...found, count } : null;
}

/**
 * The id of the newest pin, whether or not its message is at hand: a reader
 * that opens history segments from the newest (the widget) opens older ones
 * until it holds that message, so the bar can show it.
 */
export function newestPinId(doc: Y.Doc): string | undefined {
  let newest: { id: string; at: number } | undefined;
  pinsOf(doc).forEach((pin, id) => {
    if (typeof pin?.at !== 'number') return;
    if (!newest || pin.at > newest.at || (pin.at === newest.at && id > newest.id)) newest = { id, at: pin.at };
  });
  return (newest as { id: string; at: number } | undefined)?.id;
}
