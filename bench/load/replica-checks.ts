/** What must hold on every replica after a traffic run; each broken rule is one line of the failure report. */
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import type { SyncClient } from './sync-client.js';

/** Every replica holds exactly the room's messages, and no connection was closed by the relay. */
export function checkReplicas(clients: SyncClient[][], messagesPerRoom: number): string[] {
  const failures: string[] = [];
  clients.forEach((roomClients, r) => {
    for (const client of roomClients) {
      const dropped = client.droppedByRelay;
      if (dropped) failures.push(`room ${r}: the relay closed a connection: ${dropped.code} ${dropped.reason}`);
      const held = messagesOf(client.doc).size;
      if (held !== messagesPerRoom) failures.push(`room ${r}: a replica holds ${held} messages, not ${messagesPerRoom}`);
    }
  });
  return failures;
}

/** Every replica of a room holds the same numbers, distinct, exactly 1..N. */
export function checkSequencing(clients: SyncClient[][], messagesPerRoom: number): string[] {
  const failures: string[] = [];
  clients.forEach((roomClients, r) => {
    const reference = JSON.stringify([...seqIndexOf(roomClients[0].doc).entries()].sort());
    const numbers = new Set(seqIndexOf(roomClients[0].doc).values());
    if (numbers.size !== messagesPerRoom || [...numbers].some((n) => n < 1 || n > messagesPerRoom)) {
      failures.push(`room ${r}: sequence numbers are not exactly 1..${messagesPerRoom}`);
    }
    for (const client of roomClients) {
      if (JSON.stringify([...seqIndexOf(client.doc).entries()].sort()) !== reference)
        failures.push(`room ${r}: replicas disagree on sequence numbers`);
    }
  });
  return failures;
}
