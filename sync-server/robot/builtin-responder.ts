/**
 * The robot's own answers, with no network at all: help, date and time,
 * dice and coins, arithmetic, reminders, and a little small talk in English
 * and Chinese. It answers in the language it was asked in (Chinese when the
 * message has Chinese characters, sync-server/i18n/request-locale.ts): a
 * conversation may hold people of both, and the asker reads the answer.
 */
import { arithmeticErrorText } from '../i18n/arithmetic-texts.js';
import { localeOfMessageInContext, localeOfText, type ServerLocale } from '../i18n/request-locale.js';
import { evaluate, formatNumber, looksLikeArithmetic } from './arithmetic.js';
import type { ChatTurn, Reply, Responder, ResponderInput } from './responder.js';

const HELP: Record<ServerLocale, string> = {
  en: [
    "Here's what I can do:",
    '• /time or "what time is it?" — the date and time (UTC)',
    '• /roll, "roll 2d6" — dice; /coin — heads or tails',
    '• /calc 2*(3+4), or just "12/5" — arithmetic',
    '• "remind me in 10 minutes to call mum" — a reminder, even if you are offline then',
    '• hello, 你好, thanks… — I like a chat',
  ].join('\n'),
  'zh-CN': [
    '我能做这些：',
    '• /time 或“现在几点？”——日期和时间（UTC）',
    '• /roll、“掷骰子”——掷骰子；/coin、“抛硬币”——正面还是反面',
    '• /calc 2*(3+4)、“计算 12/5”，或直接输入“12/5”——算术',
    '• “10分钟后提醒我喝水”——提醒，即使那时你离线',
    '• 你好、谢谢、hello……——我喜欢聊天',
  ].join('\n'),
};

const MAX_REMINDER_MS = 30 * 24 * 3600_000;

const UNITS: Record<string, number> = {
  second: 1000,
  sec: 1000,
  s: 1000,
  minute: 60_000,
  min: 60_000,
  m: 60_000,
  hour: 3600_000,
  hr: 3600_000,
  h: 3600_000,
  day: 86_400_000,
  d: 86_400_000,
  秒: 1000,
  分钟: 60_000,
  分: 60_000,
  小时: 3600_000,
  天: 86_400_000,
};

type Rule = (input: ResponderInput, random: () => number) => Reply | null;

function formatDuration(ms: number, locale: ServerLocale): string {
  const minutes = Math.round(ms / 60_000);
  const hours = Math.round(ms / 3600_000);
  const [count, unit]: [number, 'second' | 'minute' | 'hour' | 'day'] =
    ms < 60_000
      ? [Math.round(ms / 1000), 'second']
      : minutes < 60
        ? [minutes, 'minute']
        : hours < 48
          ? [hours, 'hour']
          : [Math.round(ms / 86_400_000), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(count);
}

const reminder: Rule = ({ text, now }) => {
  const english =
    /remind me in (\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\b\s*(?:to|that|about)?\s*(.*)$/i.exec(text);
  const chinese = /(\d+(?:\.\d+)?)\s*(秒|分钟|分|小时|天)(?:钟)?后提醒我\s*(.*)$/.exec(text);
  const match = english ?? chinese;
  if (!match) return null;
  const unit = match[2].toLowerCase().replace(/s$/, '');
  const ms = Number(match[1]) * (UNITS[unit] ?? UNITS[match[2]] ?? 0);
  const what = match[3].trim() || (chinese ? '你让我提醒你的事' : 'what you asked me to');
  if (ms <= 0)
    return {
      text: chinese
        ? '什么时候提醒你？试试“10分钟后提醒我活动一下”。'
        : 'When should I remind you? Try "remind me in 10 minutes to stretch".',
    };
  if (ms > MAX_REMINDER_MS) return { text: chinese ? '提醒最多只能保留 30 天。' : 'I can only keep reminders for up to 30 days.' };
  const dueAt = now.getTime() + ms;
  return {
    text: chinese ? `好的，${formatDuration(ms, 'zh-CN')}后提醒你：${what}` : `OK, I'll remind you in ${formatDuration(ms, 'en')}: ${what}`,
    reminder: { dueAt, text: chinese ? `⏰ 提醒：${what}` : `⏰ Reminder: ${what}` },
  };
};

const help: Rule = ({ text }) => (/^\/?(help\b|帮助)|what can you do|你能做什么/i.test(text) ? { text: HELP[localeOfText(text)] } : null);

const time: Rule = ({ text, now }) => {
  if (!/^\/(time|date)\b|what time|what(?:'s| is) the (?:time|date)|today's date|几点|时间|日期|今天几号/i.test(text)) return null;
  // Asked in Chinese, the whole answer is Chinese, the date too ("现在是 2026年12月6日星期日 02:00（UTC）").
  if (localeOfText(text) === 'zh-CN') {
    return { text: `现在是 ${now.toLocaleString('zh-CN', { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'short' })}（UTC）` };
  }
  return { text: `It is ${now.toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'short' })} (UTC).` };
};

const dice: Rule = ({ text }, random) => {
  const match = /^\/roll(?:\s+(\d{1,2})?d(\d{1,3}))?\s*$|roll (?:a )?(?:die|dice)|roll (\d{1,2})d(\d{1,3})|掷骰子/i.exec(text);
  if (!match) return null;
  const count = Math.min(20, Math.max(1, Number(match[1] ?? match[3] ?? 1)));
  const sides = Math.min(1000, Math.max(2, Number(match[2] ?? match[4] ?? 6)));
  const rolls = Array.from({ length: count }, () => 1 + Math.floor(random() * sides));
  const total = rolls.reduce((a, b) => a + b, 0);
  return { text: count === 1 ? `🎲 ${rolls[0]}` : `🎲 ${rolls.join(' + ')} = ${total}` };
};

const coin: Rule = ({ text }, random) => {
  if (!/^\/coin\b|flip a coin|toss a coin|heads or tails|抛硬币/i.test(text)) return null;
  const heads = random() < 0.5;
  return { text: /抛硬币/.test(text) ? (heads ? '🪙 正面' : '🪙 反面') : heads ? '🪙 Heads' : '🪙 Tails' };
};

/** "/calc 2*3", "what is 2*3?", and in Chinese "计算 2*3", "算一下 2*3", "2*3 等于多少？". */
const CALCULATION = [
  /^(?:\/calc|calc(?:ulate)?|what(?:'s| is))\s+(.+?)\??$/i,
  /^(?:\/?计算|算一下|算算)\s*(.+?)[?？]?$/,
  // Only a calculation before "等于多少": "你的号码等于多少" is a question for someone else.
  /^([\d\s.+\-*/%^()×÷]+?)\s*(?:等于多少|等于几)[?？]?$/,
];

const arithmetic: Rule = ({ text, history }) => {
  const command = CALCULATION.map((pattern) => pattern.exec(text)).find((match) => match !== null);
  const expression = command ? command[1] : looksLikeArithmetic(text) ? text : null;
  if (expression === undefined || expression === null || (command && !/\d/.test(expression))) return null;
  const result = evaluate(expression.replace(/=\s*$/, ''));
  if (result.ok) return { text: `${expression.trim()} = ${formatNumber(result.value)}` };
  // A bare "1/0" has no words to tell the language by: the person's earlier messages do.
  return { text: arithmeticErrorText(result.error, localeOfMessageInContext(text, earlierWordsOf(history))) };
};

/** What the person said before this message, oldest first (the history ends with the message itself). */
function earlierWordsOf(history: readonly ChatTurn[]): string[] {
  return history
    .slice(0, -1)
    .filter((turn) => turn.role === 'user')
    .map((turn) => turn.text);
}

const SMALL_TALK: Array<[RegExp, (name: string) => string]> = [
  [/^(hi|hello|hey|good (morning|afternoon|evening))\b/i, (name) => `Hello ${name}! 👋 How can I help? (/help shows what I can do)`],
  [/^(你好|您好|嗨|早上好|晚上好)/, (name) => `你好，${name}！😊 有什么可以帮你的？（输入 /help 查看我能做什么）`],
  [/how are you|how's it going/i, () => "I'm running smoothly, thanks for asking! How are you?"],
  [/你好吗|最近怎么样/, () => '我很好，谢谢！你呢？'],
  [/thank|thx|cheers/i, () => "You're welcome! 😊"],
  [/谢谢|多谢/, () => '不客气！😊'],
  [/^(bye|goodbye|see you|good night)\b/i, (name) => `Bye ${name}, talk soon! 👋`],
  [/再见|拜拜|晚安/, () => '再见！👋'],
  [
    /who are you|what are you|your name/i,
    () => "I'm Happy Robot, the chat's built-in helper. I live on the server, so I answer even when you were offline.",
  ],
  [/你是谁|你叫什么/, () => '我是快乐机器人，住在服务器上的聊天助手。'],
  [/joke/i, () => 'Why do programmers prefer dark mode? Because light attracts bugs. 🐛'],
  [/笑话/, () => '为什么程序员总是分不清万圣节和圣诞节？因为 Oct 31 = Dec 25。🎃🎄'],
];

const smallTalk: Rule = ({ text, userName }) => {
  for (const [pattern, answer] of SMALL_TALK) if (pattern.test(text)) return { text: answer(userName) };
  return null;
};

/** Commands have one right answer; a language model should not improvise them. */
const COMMANDS: Rule[] = [help, reminder, time, dice, coin, arithmetic];

export class BuiltinResponder implements Responder {
  readonly name = 'builtin';

  constructor(private readonly random: () => number = Math.random) {}

  /** The answer to a command (help, time, dice, coin, arithmetic, reminder), or null for conversation. */
  command(input: ResponderInput): Reply | null {
    const text = input.text.trim();
    for (const rule of COMMANDS) {
      const reply = rule({ ...input, text }, this.random);
      if (reply) return reply;
    }
    return null;
  }

  async respond(input: ResponderInput): Promise<Reply> {
    const text = input.text.trim();
    const reply = this.command(input) ?? smallTalk({ ...input, text }, this.random);
    if (reply) return reply;
    return /[\u4e00-\u9fff]/.test(text)
      ? { text: '我还不太明白。输入 /help 看看我能做什么。' }
      : { text: "I'm not sure I understood that. Type /help to see what I can do." };
  }
}
