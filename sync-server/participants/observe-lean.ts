/**
 * Observes a Yjs type with its listener list no longer than its listeners
 * (issue 14: a loaded room's heap). Yjs pushes the first listener onto an
 * empty array, which V8 grows to 17 slots (~150 B), and a server room keeps
 * such a list for each root type it observes: four in every loaded
 * conversation. Yjs replaces the list itself whenever a listener is removed
 * (`removeEventHandlerListener` filters it into a new array), so a list of
 * its own length is one it already handles.
 */
import type * as Y from 'yjs';

export function observeLean<Event>(type: Y.AbstractType<Event>, listener: (event: Event, transaction: Y.Transaction) => void): void {
  type.observe(listener);
  type._eH.l = type._eH.l.slice();
}
