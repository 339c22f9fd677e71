/**
 * What pushes and the unread digest mail say, in both languages the server
 * speaks. They are sent outside any request, so the language is the one
 * stored with the device (its subscribing request's Accept-Language) or
 * with the notification settings (the request that last changed them).
 * Typed as complete records: a language without every text does not compile.
 */
import type { ServerLocale } from './request-locale.js';

export interface PushWords {
  /** The title of a push that hides its content. */
  appName: string;
  /** "New message" / "3 new messages". */
  newMessages(count: number): string;
  /** The body of a picture sent without a caption. */
  picture: string;
  /** The title for a group message: who, and in which group. */
  authorInGroup(author: string, group: string): string;
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

const PUSH: Record<ServerLocale, PushWords> = {
  en: {
    appName: 'Happy Chat',
    newMessages: (count) => (count === 1 ? 'New message' : `${count} new messages`),
    picture: 'Picture',
    authorInGroup: (author, group) => `${author} in ${group}`,
  },
  'zh-CN': {
    appName: 'Happy Chat',
    newMessages: (count) => (count === 1 ? '新消息' : `${count} 条新消息`),
    picture: '图片',
    authorInGroup: (author, group) => `${author}（${group}）`,
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
