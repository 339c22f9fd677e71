import { describe, expect, it } from 'vitest';
import { type EdgeClient, encodeEdgeClient, encodeForwarded, forwardedInbox, relayInbox } from './edge-channels.js';

const client: EdgeClient = {
  docName: 'conv/0f8e5c2a-ümlaut',
  edge: 'edge-7b1d',
  connectionId: '42',
  userId: 'user-ada',
  sessionId: 'session-12345678901234567890',
};

describe('an edge forwarding with its client encoded once', () => {
  it('writes the bytes the inbox channel writes, for a join, a leave and frames of every varint length', () => {
    const inbox = relayInbox('owner-1');
    const encodedClient = encodeEdgeClient(client);
    expect(encodeForwarded('join', encodedClient)).toEqual(inbox.encode({ kind: 'join', ...client }));
    expect(encodeForwarded('leave', encodedClient)).toEqual(inbox.encode({ kind: 'leave', ...client }));
    for (const length of [0, 1, 127, 128, 300, 16_383, 16_384, 2_100_000]) {
      const frame = Uint8Array.from({ length }, (_, i) => i % 251);
      const bytes = encodeForwarded('frame', encodedClient, frame);
      // Compared as buffers: vitest's deep equality walks a 2 MB array element by element for many seconds.
      expect(Buffer.from(bytes).equals(inbox.encode({ kind: 'frame', ...client, frame }))).toBe(true);
      const decoded = inbox.decode(bytes);
      expect(decoded?.kind === 'frame' && Buffer.from(decoded.frame).equals(frame)).toBe(true);
      expect({ ...decoded, frame: null }).toEqual({ kind: 'frame', ...client, frame: null });
    }
  });

  it('publishes on the owner inbox by name, and refuses bytes that are no inbox message', () => {
    const channel = forwardedInbox('owner-1');
    expect(channel.name).toBe(relayInbox('owner-1').name);
    const bytes = encodeForwarded('join', encodeEdgeClient(client));
    expect(channel.decode(bytes)).toBe(bytes);
    expect(channel.decode(Uint8Array.of(1, 200))).toBeNull();
  });
});
