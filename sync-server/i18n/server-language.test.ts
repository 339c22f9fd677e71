/**
 * The server speaks the request's language (issue 16): API error texts and
 * the mails a request causes follow `Accept-Language`, which the app sets to
 * the language it speaks. Over a real server and its real outbox.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/api.js';
import { api } from '../testing/api-call.js';
import { outboxMailsTo } from '../testing/outbox-mail.js';
import { useTestServer } from '../testing/use-test-server.js';
import { errorText } from './error-texts.js';
import { localeOfAcceptLanguage, localeOfText } from './request-locale.js';

describe('the language of a request', () => {
  it('takes the best Accept-Language we speak, by weight then order', () => {
    expect(localeOfAcceptLanguage('zh-CN')).toBe('zh-CN');
    expect(localeOfAcceptLanguage('zh-TW,zh;q=0.9')).toBe('zh-CN');
    expect(localeOfAcceptLanguage('fr-FR,fr;q=0.9,zh;q=0.8,en;q=0.7')).toBe('zh-CN');
    expect(localeOfAcceptLanguage('en;q=0.5,zh-CN;q=0.9')).toBe('zh-CN');
    expect(localeOfAcceptLanguage('zh;q=0,en')).toBe('en');
    expect(localeOfAcceptLanguage('de')).toBe('en');
    expect(localeOfAcceptLanguage(undefined)).toBe('en');
    expect(localeOfAcceptLanguage(';;q=,')).toBe('en');
  });

  it('reads a written text as Chinese when it has Chinese characters', () => {
    expect(localeOfText('现在几点')).toBe('zh-CN');
    expect(localeOfText('what time is it')).toBe('en');
  });

  it('has a Chinese text, in Chinese, for every error code', () => {
    for (const code of Object.keys(ERROR_MESSAGES) as ErrorCode[]) expect(errorText(code, 'zh-CN')).toMatch(/\p{Script=Han}/u);
  });
});

describe('a server answering in the request language', () => {
  const test = useTestServer();
  const person = { name: '小明', email: 'xiaoming@example.com', password: 'a long enough secret' };

  it('writes the activation mail in Chinese for a Chinese sign-up, and in English otherwise', async () => {
    expect((await api(test.server, 'POST', '/api/auth/register', { body: person, language: 'zh-CN,zh;q=0.9' })).status).toBe(201);
    const [chinese] = await outboxMailsTo(test.dataDir, person.email);
    expect(chinese?.subject).toBe('激活你的 Happy Chat 账号');
    expect(chinese?.text).toContain('小明，你好');
    const english = { ...person, email: 'ming@example.com' };
    expect((await api(test.server, 'POST', '/api/auth/register', { body: english, language: 'en-GB' })).status).toBe(201);
    expect((await outboxMailsTo(test.dataDir, english.email))[0]?.subject).toBe('Activate your Happy Chat account');
  });

  it('says why it refuses in the request language', async () => {
    const wrong = { email: 'nobody@example.com', password: 'not the password at all' };
    const chinese = await api<{ error: string; message: string }>(test.server, 'POST', '/api/auth/login', {
      body: wrong,
      language: 'zh-CN',
    });
    expect(chinese.body).toEqual({ error: 'invalid_credentials', message: '邮箱或密码错误。' });
    const english = await api<{ error: string; message: string }>(test.server, 'POST', '/api/auth/login', { body: wrong });
    expect(english.body).toEqual({ error: 'invalid_credentials', message: ERROR_MESSAGES.invalid_credentials });
  });
});
