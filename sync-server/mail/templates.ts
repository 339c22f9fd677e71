/** The mails Happy Chat sends. Every interpolated value is escaped for HTML. */
import type { Mail } from './mailer.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function activationMail(to: string, name: string, link: string): Mail {
  return {
    to,
    subject: 'Activate your Happy Chat account',
    link,
    text: `Hello ${name},\n\nwelcome to Happy Chat. Open this link to activate your account:\n\n${link}\n\nThe link works once and expires in 24 hours. If you did not sign up, ignore this mail.\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>welcome to Happy Chat. Open this link to activate your account:</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>The link works once and expires in 24 hours. If you did not sign up, ignore this mail.</p>`,
  };
}

export function passwordResetMail(to: string, name: string, link: string): Mail {
  return {
    to,
    subject: 'Reset your Happy Chat password',
    link,
    text: `Hello ${name},\n\nsomeone (hopefully you) asked to reset your Happy Chat password. Open this link to choose a new one:\n\n${link}\n\nThe link works once and expires in one hour. If you did not ask for it, ignore this mail: your password stays as it is.\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>someone (hopefully you) asked to reset your Happy Chat password. Open this link to choose a new one:</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>The link works once and expires in one hour. If you did not ask for it, ignore this mail: your password stays as it is.</p>`,
  };
}
