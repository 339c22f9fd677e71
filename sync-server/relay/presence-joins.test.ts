/**
 * A big room's joins over real sockets (issue 14): every newcomer announces
 * its presence, and forwarding each announcement to everyone at once made N
 * joins cost N² frames. Presence is gathered per room per tick
 * (room-presence.ts), so N announcements arriving together cost a few
 * frames per connection.
 */
import { describe, expect, it } from 'vitest';
import { presenceFrame, PresenceWatcher } from '../testing/presence-frames.js';
import { useMemberScene } from '../testing/member-scene.js';
import type { RawSession } from '../testing/raw-session.js';
import { DEFAULT_PRESENCE_LIMITS } from './presence-limits.js';

const PER_PERSON = 15;

describe('presence of a room many connections join', () => {
  const scene = useMemberScene({ presenceLimits: { ...DEFAULT_PRESENCE_LIMITS, idsPerPerson: PER_PERSON } });

  it(`costs a few awareness frames per connection for ${2 * PER_PERSON} announcements at once, not one per announcement`, async () => {
    const sessions: RawSession[] = [];
    for (const user of [scene.alice, scene.mallory]) {
      for (let i = 0; i < PER_PERSON; i++) sessions.push(await scene.raw(user));
    }
    const watchers = sessions.map((session) => new PresenceWatcher(session.socket));
    const ids = sessions.map((session) => session.doc.clientID);

    for (const [i, session] of sessions.entries())
      session.sendFrame(presenceFrame(session.doc.clientID, 1, { user: { name: `device ${i}` } }));
    const everyoneSeen = (watcher: PresenceWatcher) => ids.every((id) => watcher.latest.get(id)?.clock === 1);
    await Promise.all(watchers.map((watcher, i) => watcher.until(() => everyoneSeen(watcher), `every announcement at device ${i}`)));

    const n = sessions.length;
    const frames = watchers.reduce((sum, watcher) => sum + watcher.frames.length, 0);
    // Forwarded one by one this is n × n frames (900); gathered per tick, a few ticks' worth.
    expect(frames).toBeLessThanOrEqual(5 * n);
  });
});
