/**
 * Whose a Yjs client id is in one document, as seen from one writer
 * (issue 20). An id is bound to the person whose structs first integrated
 * under it (client-owners.ts, stored); before that, it is claimed by the
 * person who first announced it in presence (client-claims.ts, in memory);
 * an id with stored structs and no owner holds the server's own writes.
 */
import * as Y from 'yjs';
import type { ClientClaims } from './client-claims.js';
import type { ClientOwners } from './client-owners.js';

export type Whose =
  /** Bound to the writer. */
  | { kind: 'writer' }
  /** Nobody's yet, or announced by the writer alone: the writer's once its structs integrate. */
  | { kind: 'unclaimed' }
  /** Stored structs and no owner: what the server wrote itself. */
  | { kind: 'server'; detail: string }
  /** Bound to another person, or live in another person's presence. */
  | { kind: 'other'; detail: string };

// Shared answers without a detail: deciding a writer's own id (every message) allocates nothing.
const WRITER: Whose = { kind: 'writer' };
const UNCLAIMED: Whose = { kind: 'unclaimed' };

/** Decides whose `clientId` is for `writer`; a binding comes before the server's ids, which come before claims. */
export function whoseClient(doc: Y.Doc, clientId: number, writer: string, owners: ClientOwners, claims: ClientClaims): Whose {
  const owner = owners.ownerOf(clientId);
  if (owner === writer) return WRITER;
  if (owner !== undefined) return { kind: 'other', detail: `client ${clientId} belongs to another person` };
  if (Y.getState(doc.store, clientId) > 0 || clientId === doc.clientID)
    return { kind: 'server', detail: `client ${clientId} belongs to the server` };
  const claimant = claims.claimantOf(clientId);
  if (claimant !== undefined && claimant !== writer)
    return { kind: 'other', detail: `client ${clientId} is another person's (announced in their presence)` };
  return UNCLAIMED;
}
