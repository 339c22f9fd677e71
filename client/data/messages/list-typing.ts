/**
 * Who types in which of my conversations, for the list (issue 15): the
 * server puts it into the presence of my own `user/<id>` document
 * (shared/list-typing.ts; sync-server/presence/list-typing.ts). Only the
 * server and my own tabs can set presence there; the shape is checked all
 * the same, as anything read from the network.
 */
import { LIST_TYPING_FIELD, type ListTyper, type ListTyping } from '../../../shared/list-typing.js';

/** Typing by conversation, merged from every presence state of my user document. */
export function listTypingOf(states: ReadonlyMap<number, Record<string, unknown>>): ListTyping {
  const merged: ListTyping = {};
  for (const state of states.values()) {
    const field = state?.[LIST_TYPING_FIELD];
    if (!field || typeof field !== 'object') continue;
    for (const [conversationId, typers] of Object.entries(field as Record<string, unknown>)) {
      if (!Array.isArray(typers)) continue;
      const valid = typers.filter(isTyper);
      if (valid.length > 0) merged[conversationId] = [...(merged[conversationId] ?? []), ...valid];
    }
  }
  return merged;
}

function isTyper(value: unknown): value is ListTyper {
  const typer = value as Partial<ListTyper> | null;
  return typeof typer?.id === 'string' && typeof typer.name === 'string';
}
