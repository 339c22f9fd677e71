/**
 * Runs of messages, as chat apps group them: one person's consecutive
 * messages read as one block, so the list shows their name once (in groups)
 * and sets the bubbles closer together. A run breaks when someone else
 * writes, after a pause, at a day change, at a system line, and where the
 * "New messages" divider goes. Pure.
 */
import { isMessageTime } from '../../../shared/message-rules.js';
import type { MessageKind } from '../../../shared/schema.js';

/** A pause longer than this starts a new run (the usual ~5 minutes of WhatsApp and Telegram). */
export const RUN_PAUSE_MS = 5 * 60 * 1000;

/** What grouping reads of a message. */
export interface RunMessage {
  id: string;
  author: string;
  kind: MessageKind;
  createdAt: unknown;
}

/** Where a message sits in its run: the first shows the name, the last has the bubble's tail. */
export interface RunPlace {
  first: boolean;
  last: boolean;
}

/**
 * Each message's place in its run, by id; `messages` in display order.
 * `breakBefore`: a message that always starts a run (the first unread one).
 */
export function runPlaces(messages: readonly RunMessage[], breakBefore?: string): Map<string, RunPlace> {
  const places = new Map<string, RunPlace>();
  let previous: RunMessage | undefined;
  let previousPlace: RunPlace | undefined;
  for (const message of messages) {
    const first = !previous || message.id === breakBefore || breaksRun(previous, message);
    if (first && previousPlace) previousPlace.last = true;
    const place = { first, last: false };
    places.set(message.id, place);
    previous = message;
    previousPlace = place;
  }
  if (previousPlace) previousPlace.last = true;
  return places;
}

function breaksRun(previous: RunMessage, message: RunMessage): boolean {
  if (message.author !== previous.author || message.kind === 'system' || previous.kind === 'system') return true;
  // A time that cannot be shown (an old document's) tells nothing of a pause: the run goes on.
  if (!isMessageTime(previous.createdAt) || !isMessageTime(message.createdAt)) return false;
  if (Math.abs(message.createdAt - previous.createdAt) > RUN_PAUSE_MS) return true;
  return localDay(previous.createdAt) !== localDay(message.createdAt);
}

/** The calendar day on this device, which is what the day separators show. */
function localDay(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}
