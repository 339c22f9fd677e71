import { describe, expect, it } from 'vitest';
import { evaluate } from './arithmetic.js';
import { BuiltinResponder } from './builtin-responder.js';

const now = new Date(Date.UTC(2026, 10, 26, 15, 30));
const ask = (text: string, random = () => 0.5) => new BuiltinResponder(random).respond({ text, userName: 'Ada', history: [], now });

describe('BuiltinResponder', () => {
  it('helps', async () => {
    expect((await ask('/help')).text).toContain('remind me in 10 minutes');
  });

  it('tells the time in UTC, in English and Chinese', async () => {
    expect((await ask('what time is it?')).text).toMatch(/^It is Thursday,? 26 November 2026 at 15:30 \(UTC\)\.$/);
    expect((await ask('现在几点')).text).toContain('现在是');
  });

  // Issue 16: "现在是 Sunday, 6 December 2026" mixed the languages.
  it('answers a question in Chinese all in Chinese, the date and durations too', async () => {
    const time = (await ask('现在几点')).text;
    expect(time).toMatch(/^现在是 2026年11月26日星期四 15:30（UTC）$/);
    expect(time.replace('UTC', '')).not.toMatch(/[A-Za-z]{2,}/);
    expect((await ask('帮助')).text).toContain('我能做这些');
    expect((await ask('/帮助')).text).toContain('我能做这些');
    expect((await ask('2小时后提醒我开会')).text).toBe('好的，2小时后提醒你：开会');
    expect((await ask('0分钟后提醒我')).text).not.toMatch(/remind/i);
  });

  it('rolls dice and flips coins', async () => {
    expect((await ask('/roll', () => 0.99)).text).toBe('🎲 6');
    expect((await ask('roll 2d6', () => 0)).text).toBe('🎲 1 + 1 = 2');
    expect((await ask('flip a coin', () => 0.1)).text).toBe('🪙 Heads');
    expect((await ask('抛硬币', () => 0.9)).text).toBe('🪙 反面');
  });

  it('calculates without eval', async () => {
    expect((await ask('2+3*4')).text).toBe('2+3*4 = 14');
    expect((await ask('/calc (1+2)/4')).text).toBe('(1+2)/4 = 0.75');
    expect((await ask('what is 2^10?')).text).toBe('2^10 = 1024');
    expect((await ask('1/0')).text).toBe('Division by zero is not defined.');
    expect((await ask('/calc 2+')).text).toBe('The expression ends too early.');
    expect(evaluate('process.exit()').ok).toBe(false);
    expect(evaluate(`${'('.repeat(100)}1${')'.repeat(100)}`).ok).toBe(false);
  });

  // Issue 16: the robot's arithmetic errors were English whatever the question's language.
  it('calculates in Chinese and says what is wrong with a calculation in Chinese', async () => {
    expect((await ask('计算 2*(3+4)')).text).toBe('2*(3+4) = 14');
    expect((await ask('12/4等于多少？')).text).toBe('12/4 = 3');
    expect((await ask('计算 1/0')).text).toBe('不能除以零。');
    expect((await ask('算一下 (1+2')).text).toBe('有一个括号没有闭合。');
    expect((await ask('1/0 等于几')).text).toBe('不能除以零。');
    expect((await ask('计算 2+')).text).toBe('算式还没写完。');
    expect((await ask(`计算 ${'1+'.repeat(150)}1`)).text).toBe('这个算式太长了，我算不了。');
    // Not calculations: left to small talk.
    expect((await ask('你的号码等于多少')).text).not.toMatch(/我看不懂/);
  });

  // Issue 16: a bare "1/0" has no words to tell its language by, and was answered in English to a Chinese speaker.
  it('answers a calculation without words in the language the person wrote in before', async () => {
    const robot = new BuiltinResponder();
    const answerAfter = (earlier: string[]) =>
      robot.respond({
        text: '1/0',
        userName: '小明',
        history: [...earlier.map((text) => ({ role: 'user' as const, text })), { role: 'user', text: '1/0' }],
        now,
      });
    expect((await answerAfter(['你好', '2+2'])).text).toBe('不能除以零。');
    expect((await answerAfter(['你好', 'hello again'])).text).toBe('Division by zero is not defined.');
    expect((await answerAfter(['3*3'])).text).toBe('Division by zero is not defined.');
  });

  it('understands reminders in English and Chinese', async () => {
    const english = await ask('remind me in 10 minutes to call mum');
    expect(english.text).toBe("OK, I'll remind you in 10 minutes: call mum");
    expect(english.reminder).toEqual({ dueAt: now.getTime() + 600_000, text: '⏰ Reminder: call mum' });
    const chinese = await ask('2小时后提醒我开会');
    expect(chinese.reminder).toEqual({ dueAt: now.getTime() + 7_200_000, text: '⏰ 提醒：开会' });
    expect((await ask('remind me in 90 days to renew')).reminder).toBeUndefined();
  });

  it('makes small talk and admits when it does not understand', async () => {
    expect((await ask('hello there')).text).toContain('Hello Ada!');
    expect((await ask('你好')).text).toContain('你好，Ada');
    expect((await ask('谢谢')).text).toBe('不客气！😊');
    expect((await ask('the mitochondria')).text).toContain('/help');
    expect((await ask('量子纠缠')).text).toContain('/help');
  });
});
