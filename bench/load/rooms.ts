/**
 * Rooms to load, on each relay under test. The reference takes any document
 * name with no auth. Ours needs people and memberships made through the real
 * API: a room is the direct conversation of two friends (request, accept,
 * open), and a room of C connections is several devices (connections
 * sharing the member's session) of its two members.
 */
import { convDocName } from '../../shared/doc-names.js';
import { api } from '../../sync-server/testing/api-call.js';
import { createUser, type TestUser } from '../../sync-server/testing/test-users.js';
import type { RelayProcess } from '../servers/relay-process.js';
import { SyncClient } from './sync-client.js';

export interface BenchRoom {
  docName: string;
  /** Opens connection number `index` to the room (alternating between the two members on our relay). */
  connect(index: number, options?: { awareness?: boolean }): SyncClient;
  /** The author id connection `index` must write into its messages. */
  authorOf(index: number): string;
  /** The two members who can sign in (our relay); none on the reference. */
  members: TestUser[];
}

export interface RoomSource {
  relay: RelayProcess;
  /** Does the relay number messages (`seq`)? Then the bench checks the numbers too. */
  sequenced: boolean;
  /** Makes `count` new, empty rooms. */
  rooms(count: number): Promise<BenchRoom[]>;
}

/** How many API calls to the relay run at once while preparing. */
const SETUP_CONCURRENCY = 8;

export function roomSourceFor(relay: RelayProcess): RoomSource {
  return relay.kind === 'reference' ? new ReferenceRooms(relay) : new HappyChatRooms(relay);
}

let referenceRoomCounter = 0;

class ReferenceRooms implements RoomSource {
  readonly sequenced = false;

  constructor(readonly relay: RelayProcess) {}

  async rooms(count: number): Promise<BenchRoom[]> {
    return Array.from({ length: count }, () => {
      const docName = convDocName(`bench${++referenceRoomCounter}`);
      const authors = ['member-a', 'member-b'];
      return {
        docName,
        connect: (_index, options) => new SyncClient({ url: `${wsUrl(this.relay)}/${docName}`, awareness: options?.awareness }),
        authorOf: (index) => authors[index % 2],
        members: [],
      };
    });
  }
}

class HappyChatRooms implements RoomSource {
  readonly sequenced = true;
  private readonly people: TestUser[] = [];
  /** Pairs of people (indexes into `people`) not yet used for a room. */
  private nextPair = { a: 0, b: 1 };

  constructor(readonly relay: RelayProcess) {}

  async rooms(count: number): Promise<BenchRoom[]> {
    const pairs = await this.takePairs(count);
    const ids = await inBatches(pairs, SETUP_CONCURRENCY, ([a, b]) => this.directConversation(a, b));
    return ids.map((id, i) => {
      const members = pairs[i];
      const docName = convDocName(id);
      return {
        docName,
        connect: (index, options) =>
          new SyncClient({
            url: `${wsUrl(this.relay)}/sync/${docName}`,
            headers: { cookie: members[index % 2].cookie, origin: this.relay.url },
            awareness: options?.awareness,
          }),
        authorOf: (index) => members[index % 2].id,
        members,
      };
    });
  }

  /** Makes two people friends (request, accept) and opens their direct conversation, as the app does. */
  private async directConversation(a: TestUser, b: TestUser): Promise<string> {
    const request = await this.call<{ id: string }>(a, 'POST', '/api/friends/requests', { email: b.email }, 201);
    await this.call(b, 'POST', `/api/friends/requests/${request.id}/accept`, undefined, 200);
    const created = await this.call<{ id: string }>(a, 'POST', '/api/conversations', { kind: 'direct', email: b.email }, 201);
    return created.id;
  }

  private async call<T>(person: TestUser, method: string, route: string, body: unknown, expected: number): Promise<T> {
    const response = await api<T>(this.address, method, route, { cookie: person.cookie, body });
    if (response.status !== expected) {
      throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(response.body)}\n${this.relay.recentStderr}`);
    }
    return response.body;
  }

  private get address() {
    if (!this.relay.dataDir) throw new Error('our relay runs with a DATA_DIR');
    return { url: this.relay.url, dataDir: this.relay.dataDir };
  }

  /** The next `count` unused pairs of people, signing up more people when the pairs run out. */
  private async takePairs(count: number): Promise<Array<[TestUser, TestUser]>> {
    let people = this.people.length;
    while (pairsBefore(people) - pairsUsed(this.nextPair) < count) people++;
    const missing = people - this.people.length;
    if (missing > 0) {
      const address = this.address;
      const created = await inBatches(
        Array.from({ length: missing }, (_, i) => i),
        SETUP_CONCURRENCY,
        (i) => createUser(address, `Bench ${this.people.length + i + 1}`),
      );
      this.people.push(...created);
    }
    const pairs: Array<[TestUser, TestUser]> = [];
    while (pairs.length < count) {
      const { a, b } = this.nextPair;
      pairs.push([this.people[a], this.people[b]]);
      this.nextPair = a + 1 < b ? { a: a + 1, b } : { a: 0, b: b + 1 };
    }
    return pairs;
  }
}

/** Read at connect time: a restarted relay listens on a new port. */
function wsUrl(relay: RelayProcess): string {
  return relay.url.replace(/^http/, 'ws');
}

/** Pairs among the first `people` people: n(n-1)/2. Pairs are taken in order (0,1), (0,2), (1,2), (0,3)… */
function pairsBefore(people: number): number {
  return (people * (people - 1)) / 2;
}

function pairsUsed(next: { a: number; b: number }): number {
  return pairsBefore(next.b) + next.a;
}

/** Maps `items` with at most `concurrency` calls in flight, keeping the order. */
export async function inBatches<T, R>(items: T[], concurrency: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
