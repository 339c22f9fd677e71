/**
 * What pushes and the unread digest mail say, in both languages the server
 * speaks. They are sent outside any request, so the language is the one
 * stored with the device (its subscribing request's Accept-Language) or
 * with the notification settings (the request that last changed them).
 * Typed as complete records: a language without every text does not compile.
 */
import { englishSystemText, type SystemEvent } from '../../shared/system-events.js';
import type { ServerLocale } from './request-locale.js';

export interface PushWords {
  /** The title of a push that hides its content. */
  appName: string;
  /** "New message" / "3 new messages". */
  newMessages(count: number): string;
  /** The body of a picture sent without a caption. */
  picture: string;
  /** The body of a voice message. */
  voice: string;
  /** The title for a group message: who, and in which group. */
  authorInGroup(author: string, group: string): string;
  /** The robot as a sender (the clients call it 快乐机器人 too, client/data/people/robot-name.ts). */
  robotName: string;
  /** A sender no longer among the members. */
  someone: string;
  /** A conversation with no name to show (the mail digest's list). */
  aConversation: string;
  /** A group's system message ("Bob joined"), worded as the app words it. */
  systemText(event: SystemEvent): string;
}

export interface DigestWords {
  subject(total: number): string;
  hello(name: string): string;
  whileAway: string;
  /** One conversation's line, with the writers when known. */
  line(title: string, count: number, from: string[]): string;
  readAt(url: string): string;
  readLink: string;
  why: string;
}

/** The app's Chinese wording of system messages (client/data/messages/system-event-text.ts), one per event type. */
const CHINESE_SYSTEM_TEXT: { [T in SystemEvent['type']]: (event: Extract<SystemEvent, { type: T }>) => string } = {
  created: (e) => `${e.actor} 创建了群聊“${e.title}”`,
  added: (e) => `${e.actor} 添加了 ${e.names.join('、')}`,
  joined: (e) => `${e.actor} 通过邀请链接加入了群聊`,
  left: (e) => `${e.actor} 退出了群聊`,
  removed: (e) => `${e.actor} 移除了 ${e.target}`,
  renamed: (e) => `${e.actor} 把群名改为“${e.title}”`,
  notice: (e) => `${e.actor} 更新了群公告`,
  picture: (e) => `${e.actor} 更换了群头像`,
  role: (e) => `${e.actor} 把 ${e.target} 设为${e.role === 'admin' ? '管理员' : '普通成员'}`,
  'handed-over': (e) => `${e.actor} 把群转让给了 ${e.target}`,
  disbanded: (e) => `${e.actor} 解散了群聊`,
  'account-deleted': (e) => (e.newOwner ? `一位成员注销了账号，${e.newOwner} 成为新群主` : '一位成员注销了账号'),
};

const PUSH: Record<ServerLocale, PushWords> = {
  en: {
    appName: 'Happy Chat',
    newMessages: (count) => (count === 1 ? 'New message' : `${count} new messages`),
    picture: 'Picture',
    voice: 'Voice message',
    authorInGroup: (author, group) => `${author} in ${group}`,
    robotName: 'Happy Robot',
    someone: 'Someone',
    aConversation: 'A conversation',
    systemText: englishSystemText,
  },
  'zh-CN': {
    appName: 'Happy Chat',
    newMessages: (count) => (count === 1 ? '新消息' : `${count} 条新消息`),
    picture: '图片',
    voice: '语音消息',
    authorInGroup: (author, group) => `${author}（${group}）`,
    robotName: '快乐机器人',
    someone: '某人',
    aConversation: '一个会话',
    systemText: (event) => CHINESE_SYSTEM_TEXT[event.type](event as never),
  },
};

const DIGEST: Record<ServerLocale, DigestWords> = {
  en: {
    subject: (total) => (total === 1 ? 'You have 1 unread message on Happy Chat' : `You have ${total} unread messages on Happy Chat`),
    hello: (name) => `Hello ${name},`,
    whileAway: 'while you were away:',
    line: (title, count, from) => {
      const messages = count === 1 ? '1 new message' : `${count} new messages`;
      return from.length > 0 ? `${title}: ${messages} from ${from.join(', ')}` : `${title}: ${messages}`;
    },
    readAt: (url) => `Read them at ${url}`,
    readLink: 'Read them in Happy Chat',
    why: 'You get this mail because you turned on "Email me what I missed" in Happy Chat; turn it off in My profile.',
  },
  'zh-CN': {
    subject: (total) => `你在 Happy Chat 有 ${total} 条未读消息`,
    hello: (name) => `${name}，你好：`,
    whileAway: '你不在的时候：',
    line: (title, count, from) => (from.length > 0 ? `${title}：${from.join('、')} 发来 ${count} 条新消息` : `${title}：${count} 条新消息`),
    readAt: (url) => `在这里阅读：${url}`,
    readLink: '在 Happy Chat 中阅读',
    why: '你收到这封邮件，是因为你在 Happy Chat 中打开了“用邮件告诉我错过的消息”；可以在“我的资料”中关闭。',
  },
};

export function pushWords(locale: ServerLocale): PushWords {
  return PUSH[locale];
}

export function digestWords(locale: ServerLocale): DigestWords {
  return DIGEST[locale];
}

/** A language read back from storage: records older than the field (or damaged) are English. */
export function storedLocale(value: unknown): ServerLocale {
  return value === 'zh-CN' ? 'zh-CN' : 'en';
}
