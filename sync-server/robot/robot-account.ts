/**
 * The robot's account and its one-to-one conversations: every person gets
 * a conversation of kind `robot` with it when their account is activated.
 */
import type { ServerLocale } from '../i18n/request-locale.js';
import { newMessageId } from '../../shared/message-id.js';
import { ROBOT_NAME, ROBOT_USER_ID } from '../../shared/robot.js';
import type { Message } from '../../shared/schema.js';
import type { ConversationDocuments } from '../conversations/conversation-documents.js';
import type { DocumentCommands } from '../commands/document-command.js';
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

/** The robot's first message to a new account; the robot's name is the clients' to translate (they show it in their language). */
const WELCOME: Record<ServerLocale, (name: string) => string> = {
  en: (name) =>
    `Hi ${name}! I'm ${ROBOT_NAME}. Ask me the time, roll dice, do sums, or say "remind me in 10 minutes to …". Type /help for more.`,
  'zh-CN': (name) => `${name}，你好！我是快乐机器人。可以问我时间、掷骰子、算算术，或者说“10分钟后提醒我……”。输入“帮助”查看更多。`,
};

export class RobotConversations {
  constructor(
    private readonly store: ConversationStore,
    private readonly documents: ConversationDocuments,
    private readonly commands: DocumentCommands,
  ) {}

  /** Creates the person's conversation with the robot (once), with a welcome in `locale`, the language they signed up in. */
  async ensureFor(user: UserRecord, locale: ServerLocale = 'en'): Promise<string> {
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
      text: WELCOME[locale](user.name),
      createdAt: now,
    };
    await this.commands.run({ kind: 'post-message', conversationId: id, message: welcome });
    return id;
  }
}
