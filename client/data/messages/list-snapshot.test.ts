/**
 * The list's first-screen snapshot (issue 12): written, read back, replaced,
 * ignored when another person's or malformed, and removed at sign-out (the
 * session's, and another person signing in on this device). A Map-backed
 * localStorage; fake IndexedDB for the session's sign-out.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { cookieSocket } from '../../testing/cookie-socket.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';
import { ChatSession } from '../session/chat-session.js';
import { deleteLocalDataOf } from '../sync/local-data.js';
import { MuxProvider } from '../sync/mux-provider.js';
import { OpenDocuments, type NetworkSignals } from '../sync/open-documents.js';
import { listSnapshotKey, ListSnapshotStore, SNAPSHOT_MAX_ROWS, type ListRowView, type ListSnapshot } from './list-snapshot.js';
import { PendingIndex } from './pending-index.js';

const storage = memoryStorage();
// The session's store reads the browser's localStorage (Node has none): this file's own.
Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });

function row(id: string, extra: Partial<ListRowView> = {}): ListRowView {
  return {
    id,
    kind: 'group',
    title: `Group ${id}`,
    seed: id,
    unread: 0,
    mentioned: false,
    marked: false,
    pinned: false,
    muted: false,
    ...extra,
  };
}

const snapshot: ListSnapshot = {
  rows: [
    row('g1', { preview: 'You: <b>hi</b>', at: 1_700_000_000_000, unread: 0, pinned: true }),
    row('g2', { preview: 'news', at: 1_699_000_000_000, unread: 3, mentioned: true, muted: true, avatar: '/api/pictures/a.webp' }),
    row('d1', { kind: 'direct', seed: 'u9', ended: 'left', marked: true }),
  ],
  archivedUnread: 2,
};

describe('ListSnapshotStore', () => {
  it('reads back what it wrote, and a later write replaces it', () => {
    const local = memoryStorage();
    const store = new ListSnapshotStore('u1', local);
    expect(store.read()).toBeNull();
    store.write(snapshot);
    expect(store.read()).toEqual(snapshot);
    const next: ListSnapshot = { rows: [row('g2', { preview: 'newer', at: 2 }), row('g1')], archivedUnread: null };
    store.write(next);
    expect(store.read()).toEqual(next);
    // A new start (a new store) reads the same.
    expect(new ListSnapshotStore('u1', local).read()).toEqual(next);
  });

  it(`keeps at most ${SNAPSHOT_MAX_ROWS} rows`, () => {
    const local = memoryStorage();
    const store = new ListSnapshotStore('u1', local);
    store.write({ rows: Array.from({ length: SNAPSHOT_MAX_ROWS + 10 }, (_, i) => row(`c${i}`)), archivedUnread: null });
    expect(store.read()?.rows).toHaveLength(SNAPSHOT_MAX_ROWS);
  });

  it("ignores another person's snapshot and anything malformed", () => {
    const local = memoryStorage();
    new ListSnapshotStore('u1', local).write(snapshot);
    // Stored under u2's key but written for u1 (copied, or a bug): not u2's list.
    local.setItem(listSnapshotKey('u2'), local.getItem(listSnapshotKey('u1')) ?? '');
    expect(new ListSnapshotStore('u2', local).read()).toBeNull();

    const stored = JSON.parse(local.getItem(listSnapshotKey('u1')) ?? '{}') as { rows: Array<Record<string, unknown>> };
    const malformed = [
      'not json {',
      'null',
      '[]',
      JSON.stringify({ ...stored, v: 99 }),
      JSON.stringify({ ...stored, rows: 'g1' }),
      JSON.stringify({ ...stored, archivedUnread: -1 }),
      JSON.stringify({ ...stored, rows: [{ ...stored.rows[0], unread: '3' }] }),
      JSON.stringify({ ...stored, rows: [{ ...stored.rows[0], kind: 'channel' }] }),
      JSON.stringify({ ...stored, rows: [{ ...stored.rows[0], ended: 'banished' }] }),
      JSON.stringify({ ...stored, rows: [{ ...stored.rows[0], preview: { html: '<img onerror=x>' } }] }),
      JSON.stringify({ ...stored, rows: [{ ...stored.rows[0], id: '' }] }),
    ];
    for (const text of malformed) {
      local.setItem(listSnapshotKey('u1'), text);
      expect(new ListSnapshotStore('u1', local).read(), text).toBeNull();
    }
  });

  it('after clear(), reads nothing and writes nothing (a write scheduled before sign-out)', () => {
    const local = memoryStorage();
    const store = new ListSnapshotStore('u1', local);
    store.write(snapshot);
    store.clear();
    expect(local.getItem(listSnapshotKey('u1'))).toBeNull();
    store.write(snapshot);
    expect(local.getItem(listSnapshotKey('u1'))).toBeNull();
    expect(store.read()).toBeNull();
  });
});

describe('the snapshot at sign-out', () => {
  const quietSignals: NetworkSignals = { addEventListener() {}, removeEventListener() {}, isVisible: () => true };

  it("goes with the session's local data when the person signs out", async () => {
    // Offline: port 9 has nobody listening; sign-out needs no relay.
    const mux = new MuxProvider('ws://127.0.0.1:9/mux', { WebSocketPolyfill: cookieSocket('none'), maxBackoffMs: 200 });
    const documents = new OpenDocuments({ wsBase: 'unused', mux }, quietSignals);
    const me = { id: 'signout-user', name: 'Ada', email: 'ada@example.test' };
    const session = new ChatSession(me, documents, new PendingIndex(me.id, storage), () => true, new SetAsideStore(me.id, storage));
    session.listSnapshot.write(snapshot);
    expect(storage.getItem(listSnapshotKey(me.id))).not.toBeNull();
    await session.closeAndDeleteLocalData();
    expect(storage.getItem(listSnapshotKey(me.id))).toBeNull();
    session.listSnapshot.write(snapshot);
    expect(storage.getItem(listSnapshotKey(me.id))).toBeNull();
  });

  it('goes when another person signs in on this device', async () => {
    const local = memoryStorage();
    new ListSnapshotStore('previous', local).write(snapshot);
    new ListSnapshotStore('kept', local).write(snapshot);
    await deleteLocalDataOf('previous', local);
    expect(local.getItem(listSnapshotKey('previous'))).toBeNull();
    expect(new ListSnapshotStore('kept', local).read()).toEqual(snapshot);
  });
});
