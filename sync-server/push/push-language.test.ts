/**
 * What a push and the digest say in each language (issue 16), and where the
 * digest's language is kept: with the notification settings, English for
 * settings stored before it. Real LevelDB in a temp dir.
 */
import { describe, expect, it } from 'vitest';
import { LevelPushPreferenceStore } from '../store/level-push-preferences.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { useTestDatabase } from '../testing/use-test-database.js';
import { unreadDigestMail } from './digest-mail.js';
import { payloadOf, type Notice } from './push-notice.js';
import { PushPreferences } from './push-preferences.js';

const level = useTestDatabase();

const notice = (changes: Partial<Notice> = {}): Notice => ({
  conversationId: 'c1',
  author: 'Ada',
  groupTitle: 'Engines',
  kind: 'image',
  text: '',
  count: 2,
  ...changes,
});

describe('push texts', () => {
  it('says who, where, a caption-less picture and the count in Chinese', () => {
    expect(payloadOf(notice(), true, 2, 'zh-CN')).toMatchObject({ title: 'Ada（Engines）', body: '📷 图片\n2 条新消息' });
    expect(payloadOf(notice(), true, 2, 'en')).toMatchObject({ title: 'Ada in Engines', body: '📷 Picture\n2 new messages' });
    expect(payloadOf(notice({ count: 1 }), false, 1, 'zh-CN')).toMatchObject({ title: 'Happy Chat', body: '新消息' });
  });

  it("words a group's system message and the robot's name in the device's language", () => {
    const joined = notice({
      author: null,
      kind: 'system',
      text: 'Li joined with an invite link',
      event: { type: 'joined', actor: 'Li' },
      count: 1,
    });
    expect(payloadOf(joined, true, 1, 'zh-CN')).toMatchObject({ title: 'Engines', body: 'Li 通过邀请链接加入了群聊' });
    expect(payloadOf(joined, true, 1, 'en')).toMatchObject({ body: 'Li joined with an invite link' });
    const robot = notice({ author: 'Happy Robot', fromRobot: true, groupTitle: null, kind: 'text', text: '不能除以零。', count: 1 });
    expect(payloadOf(robot, true, 1, 'zh-CN').title).toBe('快乐机器人');
    expect(payloadOf(robot, true, 1, 'en').title).toBe('Happy Robot');
  });

  it('mails the digest with every word in the chosen language, names escaped in HTML', () => {
    const mail = unreadDigestMail(
      'b@example.com',
      '<Bob>',
      [{ title: 'Ada', count: 1, from: ['Ada', 'Li'] }],
      'https://chat.example',
      'zh-CN',
    );
    expect(mail.subject).toBe('你在 Happy Chat 有 1 条未读消息');
    expect(mail.text).toContain('Ada：Ada、Li 发来 1 条新消息');
    expect(mail.html).toContain('&#60;Bob&#62;，你好：');
    expect(mail.text.replace(/Happy Chat|Ada|Li|Bob|https:\/\/chat\.example/g, '')).not.toMatch(/[A-Za-z]{2,}/);
  });
});

describe('the digest language kept with the notification settings', () => {
  it('is English for settings stored before it, then the language of the last change', async () => {
    await level.db.root
      .sublevel<string, object>('pushSettings', { valueEncoding: 'json' })
      .put('u1', { showContent: false, digestAfterMinutes: 60 });
    const preferences = await PushPreferences.open(new LevelPushPreferenceStore(level.db), quietLogger);
    expect(await preferences.localeOf('u1')).toBe('en');
    expect(await preferences.localeOf('nobody')).toBe('en');
    await preferences.change('u1', { digestAfterMinutes: 480 }, 'zh-CN');
    expect(await preferences.localeOf('u1')).toBe('zh-CN');
    expect(await preferences.of('u1')).toMatchObject({ showContent: false, digestAfterMinutes: 480 });
    await preferences.change('u1', { showContent: true }, 'en');
    expect(await preferences.localeOf('u1')).toBe('en');
  });
});
