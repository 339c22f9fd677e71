/**
 * Revocations: the server's named commands to cut sockets off, as values
 * rather than calls on the relay, so that one can travel to every relay of a
 * cluster (cluster/cluster-revocations.ts) and be applied there the same way.
 * Services that end a session or a membership hold a `SocketRevoker`; in one
 * process that is the relay itself.
 */
import { parseDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import type { ConnectionIdentity } from './connection.js';

export type Revocation =
  /** Signed out, or signed out everywhere by a password reset: every socket of the session closes with 4401. */
  | { kind: 'session-ended'; sessionId: string }
  /** A site owner blocked a widget visitor: every socket of the visitor's session closes with 4403. */
  | { kind: 'visitor-blocked'; sessionId: string }
  /** Removed from a conversation (or it was disbanded): the person's sockets to its documents (every history segment) close with 4403. */
  | { kind: 'member-removed'; conversationId: string; userId: string };

export interface SocketRevoker {
  /** Closes the sockets the revocation names (on every relay, in a cluster). Never throws. */
  revoke(revocation: Revocation): void;
}

/** The close code and reason each revocation sends, as the client reads them (shared/protocol.ts). */
export function closeFor(revocation: Revocation): { code: number; reason: string } {
  switch (revocation.kind) {
    case 'session-ended':
      return { code: CloseCode.unauthenticated, reason: 'signed out' };
    case 'visitor-blocked':
      return { code: CloseCode.forbidden, reason: 'blocked by the site' };
    case 'member-removed':
      return { code: CloseCode.forbidden, reason: 'no longer a member' };
  }
}

/** Whether a revocation names this socket (its identity and document). */
export function names(revocation: Revocation, socket: { identity: ConnectionIdentity; docName: string }): boolean {
  switch (revocation.kind) {
    case 'session-ended':
    case 'visitor-blocked':
      return socket.identity.sessionId === revocation.sessionId;
    case 'member-removed': {
      if (socket.identity.userId !== revocation.userId) return false;
      const doc = parseDocName(socket.docName);
      return doc?.kind === 'conv' && doc.id === revocation.conversationId;
    }
  }
}
