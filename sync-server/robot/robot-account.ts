/**
 * The robot's account and its one-to-one conversations: every person gets
 * a conversation of kind `robot` with it when their account is activated.
 */
import { convDocName } from '../../shared/doc-names.js';
import { newMessageId } from '../../shared/message-id.js';
import { ROBOT_NAME, ROBOT_USER_ID } from '../../shared/robot.js';
import { messagesOf, type Message } from '../../shared/schema.js';
import type { ConversationDocuments } from '../conversations/conversation-documents.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { ConversationStore } from '../store/conversations.js';
import type { UserRecord } from '../store/database.js';
import type { UserStore } from '../store/users.js';

/** Nobody can sign in as the robot: this is not a hash any password verifies against. */
const NO_PASSWORD = '!robot-has-no-password';

export async function ensureRobotUser(users: UserStore): Promise<void> {
  if (await users.byId(ROBOT_USER_ID)) return;
  await users.create({
    id: ROBOT_USER_ID,
    name: ROBOT_NAME,
    email: 'robot@happy-chat.invalid',
    passwordHash: NO_PASSWORD,
    activated: true,
    createdAt: Date.now(),
  });
}

export function robotConversationId(userId: string): string {
  return `r${userId}`.slice(0, 64);
}

export class RobotConversations {
  constructor(
    private readonly store: ConversationStore,
    private readonly documents: ConversationDocuments,
    private readonly registry: DocRegistry,
  ) {}

  /** Creates the person's conversation with the robot (once), with a welcome. */
  async ensureFor(user: UserRecord): Promise<string> {
    const id = robotConversationId(user.id);
    if (await this.store.byId(id)) return id;
    const now = Date.now();
    await this.store.create(
      { id, kind: 'robot', createdAt: now, title: ROBOT_NAME },
      new Map([
        [user.id, { role: 'member', joinedAt: now }],
        [ROBOT_USER_ID, { role: 'member', joinedAt: now }],
      ]),
    );
    await this.documents.refresh(id);
    const welcome: Message = {
      id: newMessageId(),
      author: ROBOT_USER_ID,
      kind: 'text',
      text: `Hi ${user.name}! I'm ${ROBOT_NAME}. Ask me the time, roll dice, do sums, or say "remind me in 10 minutes to …". Type /help for more.`,
      createdAt: now,
    };
    await this.registry.change(convDocName(id), (doc) => messagesOf(doc).set(welcome.id, welcome));
    return id;
  }
}
