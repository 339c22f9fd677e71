/**
 * The transaction origin of everything the server writes into a document
 * itself (the sequencer's numbers, `meta`, system messages, the robot's
 * replies, a stored document loaded into memory). Observers tell the
 * server's own writes from a client's by it; the room never checks them
 * against the write rules (docs/SECURITY.md, "Trusted").
 */
export const SERVER_ORIGIN = Symbol('happy-chat-server');
