/**
 * The mails Happy Chat sends, in English and Simplified Chinese: the
 * language of the request that caused the mail (sync-server/i18n/). Every
 * interpolated value is escaped for HTML.
 */
import type { ServerLocale } from '../i18n/request-locale.js';
import type { Mail } from './mailer.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A mail's words: a greeting, what the link does, and what to do if the person did not ask for it. */
interface MailWords {
  subject: string;
  hello(name: string): string;
  lead: string;
  after: string;
}

const ACTIVATION: Record<ServerLocale, MailWords> = {
  en: {
    subject: 'Activate your Happy Chat account',
    hello: (name) => `Hello ${name},`,
    lead: 'welcome to Happy Chat. Open this link to activate your account:',
    after: 'The link works once and expires in 24 hours. If you did not sign up, ignore this mail.',
  },
  'zh-CN': {
    subject: '激活你的 Happy Chat 账号',
    hello: (name) => `${name}，你好：`,
    lead: '欢迎使用 Happy Chat。打开这个链接即可激活你的账号：',
    after: '链接只能使用一次，24 小时内有效。如果你没有注册，请忽略这封邮件。',
  },
};

const PASSWORD_RESET: Record<ServerLocale, MailWords> = {
  en: {
    subject: 'Reset your Happy Chat password',
    hello: (name) => `Hello ${name},`,
    lead: 'someone (hopefully you) asked to reset your Happy Chat password. Open this link to choose a new one:',
    after: 'The link works once and expires in one hour. If you did not ask for it, ignore this mail: your password stays as it is.',
  },
  'zh-CN': {
    subject: '重置你的 Happy Chat 密码',
    hello: (name) => `${name}，你好：`,
    lead: '有人（希望是你）申请重置你的 Happy Chat 密码。打开这个链接设置新密码：',
    after: '链接只能使用一次，一小时内有效。如果不是你申请的，请忽略这封邮件：你的密码不会改变。',
  },
};

const EMAIL_CHANGE: Record<ServerLocale, MailWords> = {
  en: {
    subject: 'Confirm your new Happy Chat email address',
    hello: (name) => `Hello ${name},`,
    lead: 'you asked to use this address for your Happy Chat account. Open this link to confirm it:',
    after:
      'The link works once and expires in one hour. Until then your account keeps its old address. If you did not ask for it, ignore this mail.',
  },
  'zh-CN': {
    subject: '确认你的 Happy Chat 新邮箱地址',
    hello: (name) => `${name}，你好：`,
    lead: '你申请将这个地址用于你的 Happy Chat 账号。打开这个链接进行确认：',
    after: '链接只能使用一次，一小时内有效。在此之前你的账号仍使用原来的地址。如果不是你申请的，请忽略这封邮件。',
  },
};

function linkMail(to: string, name: string, link: string, words: MailWords): Mail {
  return {
    to,
    subject: words.subject,
    link,
    text: `${words.hello(name)}\n\n${words.lead}\n\n${link}\n\n${words.after}\n`,
    html: `<p>${escapeHtml(words.hello(name))}</p><p>${escapeHtml(words.lead)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(words.after)}</p>`,
  };
}

export function activationMail(to: string, name: string, link: string, locale: ServerLocale = 'en'): Mail {
  return linkMail(to, name, link, ACTIVATION[locale]);
}

export function passwordResetMail(to: string, name: string, link: string, locale: ServerLocale = 'en'): Mail {
  return linkMail(to, name, link, PASSWORD_RESET[locale]);
}

/** Sent to the new address: using the link proves the person reads that mailbox (account settings). */
export function emailChangeMail(to: string, name: string, link: string, locale: ServerLocale = 'en'): Mail {
  return linkMail(to, name, link, EMAIL_CHANGE[locale]);
}
