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

/** To the address an account left, naming the new one; its link moves the account back. */
function emailChangedWords(locale: ServerLocale, newEmail: string): MailWords {
  return locale === 'zh-CN'
    ? {
        subject: '你的 Happy Chat 账号换了邮箱地址',
        hello: (name) => `${name}，你好：`,
        lead: `你的 Happy Chat 账号现在使用 ${newEmail}，之后的邮件不会再发到这里。如果这不是你做的，请打开这个链接：账号会改回这个地址，所有设备都会退出登录，我们还会发给你一个设置新密码的链接。`,
        after: '链接只能使用一次，7 天内有效。如果是你自己改的，无需任何操作。',
      }
    : {
        subject: 'Your Happy Chat account has a new email address',
        hello: (name) => `Hello ${name},`,
        lead: `your Happy Chat account now uses ${newEmail}, and its mails no longer come here. If you did not do this, open this link: it moves the account back to this address, signs out every device and mails you a link to choose a new password.`,
        after: 'The link works once, for 7 days. If you made the change, there is nothing to do.',
      };
}

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

/**
 * Sent to the address an account left when the change is confirmed: whoever
 * knew the password could move the account away; the owner hears of it and can move it back.
 */
export function emailChangedMail(to: string, name: string, newEmail: string, revertLink: string, locale: ServerLocale = 'en'): Mail {
  return linkMail(to, name, revertLink, emailChangedWords(locale, newEmail));
}
