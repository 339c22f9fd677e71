/**
 * Typing in the conversation list (issue 15; shared/list-typing.ts). The
 * typing indicator rides on a conversation's presence, which only the
 * devices that opened that conversation receive; the list shows rows of
 * conversations that are not open. So the server, which sees every
 * conversation's presence, tells each member through the presence of their
 * own `user/<id>` document (only they may open it) who types where.
 *
 * Who types is taken from the connections, never from the name a state
 * claims: a state counts for the person whose connection set it (the
 * awareness guard keeps a connection to its own client ids), and the
 * server's own state (the robot thinking) for the robot. Only the
 * conversation's current members hear of it.
 *
 * Both documents must be loaded on this relay: in a cluster, a member whose
 * `user/<id>` another relay owns sees typing inside the conversation but not
 * in the list (docs/SCALING.md).
 */
import { ROBOT_NAME, ROBOT_USER_ID } from '../../shared/robot.js';
import { LIST_TYPING_FIELD, type ListTyper, type ListTyping } from '../../shared/list-typing.js';
import { membersOf } from '../../shared/schema.js';
import type { RoomEvent, ServerParticipant } from '../participants/participant.js';
import type { Room } from '../relay/room.js';

interface Typing {
  conversationId: string;
  members: ReadonlySet<string>;
  typers: ListTyper[];
}

/** A conversation room's presence, followed from its first connection (the participant's state in the room, participant.ts). */
interface PresenceFollow {
  onUpdate: (() => void) | null;
}

export class ListTypingParticipant implements ServerParticipant<PresenceFollow> {
  readonly name = 'list-typing';
  private readonly userRooms = new Map<string, Room>();
  /** By conversation room (a conversation's segments are rooms of their own): who types there. */
  private readonly typing = new Map<Room, Typing>();

  /**
   * `keepLoaded` holds a member's own document loaded while typing is shown
   * there, and lets go once it is cleared, when its sockets stand by with the
   * document unloaded otherwise (relay/standby-user-room.ts): what this
   * participant shows rides on its presence, which exists only while it is
   * loaded (a load publishes again, `onRoomLoaded`).
   */
  constructor(private readonly keepLoaded: (userId: string, shown: boolean) => void = () => {}) {}

  onRoomLoaded({ room, docName }: RoomEvent): PresenceFollow | undefined {
    if (docName.kind === 'conv') return { onUpdate: null };
    if (docName.kind !== 'user') return undefined;
    this.userRooms.set(docName.id, room);
    this.publish(docName.id);
    return undefined;
  }

  onConnectionsChanged({ room, docName }: RoomEvent, follow: PresenceFollow | undefined): void {
    // Presence exists once someone joined (rooms loaded for a server change never make it): follow it from then.
    if (docName.kind !== 'conv' || !follow || follow.onUpdate || room.connections.size === 0) return;
    // Told after the room learned which connection a client id is (awarenessIds).
    follow.onUpdate = () => this.update(room, docName.id);
    room.presence.follow(follow.onUpdate);
  }

  onRoomUnloaded({ room, docName }: RoomEvent, follow: PresenceFollow | undefined): void {
    if (docName.kind === 'user') {
      if (this.userRooms.get(docName.id) === room) this.userRooms.delete(docName.id);
      return;
    }
    if (follow?.onUpdate) room.presence.unfollow(follow.onUpdate);
    if (follow) follow.onUpdate = null;
    const was = this.typing.get(room);
    this.typing.delete(room);
    if (was) for (const member of was.members) this.publish(member);
  }

  /** What the list of `userId` shows now (tests). */
  typingFor(userId: string): ListTyping {
    const shown: ListTyping = {};
    for (const { conversationId, members, typers } of this.typing.values()) {
      if (!members.has(userId)) continue;
      const others = typers.filter((typer) => typer.id !== userId);
      if (others.length > 0) shown[conversationId] = [...(shown[conversationId] ?? []), ...others];
    }
    return shown;
  }

  private update(room: Room, conversationId: string): void {
    const before = this.typing.get(room);
    const typers = typersOf(room);
    if (sameTypers(before?.typers ?? [], typers)) return;
    const members = new Set(Object.keys(membersOf(room.doc)));
    if (typers.length > 0) this.typing.set(room, { conversationId, members, typers });
    else this.typing.delete(room);
    // Everyone who may have seen the old state and everyone who may see the new one.
    for (const member of new Set([...(before?.members ?? []), ...members])) this.publish(member);
  }

  private publish(userId: string): void {
    const shown = this.typingFor(userId);
    this.keepLoaded(userId, Object.keys(shown).length > 0);
    const room = this.userRooms.get(userId);
    if (!room || room.hasFailed) return;
    // Set even while nobody is connected: a device that joins is greeted with it.
    room.setServerPresence(Object.keys(shown).length > 0 ? { [LIST_TYPING_FIELD]: shown } : null);
  }
}

/** Who types in a room now, by connection (and the robot by the server's own state), sorted by id. */
function typersOf(room: Room): ListTyper[] {
  const states = room.presence.states;
  // Read only once someone types: presence alone must not wake a sleeping room's document (relay/room-dormancy.ts).
  let members: ReturnType<typeof membersOf> | null = null;
  const found = new Map<string, ListTyper>();
  for (const connection of room.connections) {
    const userId = connection.identity.userId;
    for (const clientId of connection.awarenessIds) {
      if (states.stateOf(clientId)?.typing !== true) continue;
      members ??= membersOf(room.doc);
      found.set(userId, { id: userId, name: members[userId]?.name ?? '' });
    }
  }
  const own = room.presence.serverState;
  if (own?.typing === true)
    found.set(ROBOT_USER_ID, { id: ROBOT_USER_ID, name: (members ?? membersOf(room.doc))[ROBOT_USER_ID]?.name ?? ROBOT_NAME });
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function sameTypers(a: readonly ListTyper[], b: readonly ListTyper[]): boolean {
  return a.length === b.length && a.every((typer, index) => typer.id === b[index]?.id && typer.name === b[index]?.name);
}
