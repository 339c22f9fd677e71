/**
 * Issue 20, item 3: one person (or one address) may not hold unlimited
 * sockets. Past a cap the socket is accepted and closed with 4429 and a
 * reason naming the cap; others keep working, and a closed socket frees its
 * place.
 */
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { useMemberScene } from '../testing/member-scene.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { ConnectionCaps } from './connection-caps.js';
import { DEFAULT_RELAY_RESOURCE_LIMITS } from './resource-limits.js';

const scene = useMemberScene({
  relayResources: {
    ...DEFAULT_RELAY_RESOURCE_LIMITS,
    connectionsPerPersonPerDocument: 3,
    connectionsPerPerson: 5,
    connectionsPerAddress: 9,
  },
});
const opened: WebSocket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.terminate();
});

/** Opens a socket as `cookie`; resolves 'admitted' on the relay's first frame, or the close code and reason. */
function connect(cookie: string, docName: string): Promise<'admitted' | { code: number; reason: string }> {
  const socket = rawSocket(scene.server, docName, { cookie });
  opened.push(socket);
  return Promise.race([new Promise<'admitted'>((resolve) => socket.once('message', () => resolve('admitted'))), closeCodeOf(socket)]);
}

it('closes a socket past the per-document cap of a person with 4429, and frees the place when one closes', async () => {
  for (let i = 0; i < 3; i++) expect(await connect(scene.mallory.cookie, scene.docName)).toBe('admitted');
  expect(await connect(scene.mallory.cookie, scene.docName)).toEqual({
    code: CloseCode.rateLimited,
    reason: 'too many connections to this document',
  });
  // Alice is not counted with Mallory.
  expect(await connect(scene.alice.cookie, scene.docName)).toBe('admitted');
  const first = opened[0];
  const closed = closeCodeOf(first);
  first.close();
  await closed;
  // The relay may see the close a moment after the client does: a few attempts, each awaited to its end.
  let outcome = await connect(scene.mallory.cookie, scene.docName);
  for (let attempt = 0; attempt < 20 && outcome !== 'admitted'; attempt++) outcome = await connect(scene.mallory.cookie, scene.docName);
  expect(outcome).toBe('admitted');
});

it('closes a socket past the cap of a person over all documents with 4429', async () => {
  for (let i = 0; i < 3; i++) expect(await connect(scene.mallory.cookie, scene.docName)).toBe('admitted');
  for (let i = 0; i < 2; i++) expect(await connect(scene.mallory.cookie, userDocName(scene.mallory.id))).toBe('admitted');
  expect(await connect(scene.mallory.cookie, userDocName(scene.mallory.id))).toEqual({
    code: CloseCode.rateLimited,
    reason: 'too many connections',
  });
});

it('closes a socket past the cap of an address with 4429, before authenticating it', async () => {
  // Alice's replica holds one place, Mallory takes five, Alice three more: nine.
  for (let i = 0; i < 3; i++) expect(await connect(scene.mallory.cookie, scene.docName)).toBe('admitted');
  for (let i = 0; i < 2; i++) expect(await connect(scene.mallory.cookie, userDocName(scene.mallory.id))).toBe('admitted');
  for (let i = 0; i < 3; i++) expect(await connect(scene.alice.cookie, userDocName(scene.alice.id))).toBe('admitted');
  const refusal = { code: CloseCode.rateLimited, reason: 'too many connections from this address' };
  expect(await connect(scene.alice.cookie, scene.docName)).toEqual(refusal);
  // Without a session too: the address is counted before anyone is authenticated.
  expect(await connect('', scene.docName)).toEqual(refusal);
});

it("gives a socket's address and person places back with its one release, once, and holds none for a socket already closed", () => {
  const caps = new ConnectionCaps({ connectionsPerAddress: 1, connectionsPerPerson: 1, connectionsPerPersonPerDocument: 1 });
  const places = caps.claimAddress('10.0.0.1');
  if ('refused' in places) throw new Error('the first place is free');
  expect(caps.claimPerson('ada', 'conv/a', places)).toBe(places);
  expect(caps.claimAddress('10.0.0.1')).toEqual({ refused: 'too many connections from this address' });
  expect(caps.claimDocument('ada', 'conv/b')).toEqual({ refused: 'too many connections' });
  places.release();
  places.release();
  const again = caps.claimAddress('10.0.0.1');
  if ('refused' in again) throw new Error('the address place was given back');
  // Released twice, counted down once: a second socket's places are not taken by the first's second release.
  expect(caps.claimAddress('10.0.0.1')).toEqual({ refused: 'too many connections from this address' });
  again.release();
  // A socket closed before its person was admitted: the person's place is not counted, so nothing is kept.
  expect(caps.claimPerson('ada', 'conv/a', again)).toBe(again);
  expect(caps.claimDocument('ada', 'conv/a')).toBeNull();
});

it("gives a multiplexed document's place back with releaseDocument", () => {
  const caps = new ConnectionCaps({ connectionsPerAddress: 9, connectionsPerPerson: 2, connectionsPerPersonPerDocument: 1 });
  expect(caps.claimDocument('ada', 'conv/a')).toBeNull();
  expect(caps.claimDocument('ada', 'conv/a')).toEqual({ refused: 'too many connections to this document' });
  expect(caps.claimDocument('ada', 'conv/b')).toBeNull();
  expect(caps.claimDocument('ada', 'conv/c')).toEqual({ refused: 'too many connections' });
  caps.releaseDocument('ada', 'conv/a');
  expect(caps.claimDocument('ada', 'conv/c')).toBeNull();
  expect(caps.claimDocument('ada', 'conv/a')).toEqual({ refused: 'too many connections' });
});
