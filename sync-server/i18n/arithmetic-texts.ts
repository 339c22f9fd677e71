/**
 * The robot's answers to a calculation it cannot do (robot/arithmetic.ts),
 * in both languages the server speaks. A complete record per language: a new
 * error code without its Chinese words does not compile.
 */
import type { ArithmeticError } from '../robot/arithmetic.js';
import type { ServerLocale } from './request-locale.js';

type Words = { [C in ArithmeticError['code']]: (error: Extract<ArithmeticError, { code: C }>) => string };

const TEXTS: Record<ServerLocale, Words> = {
  en: {
    too_long: () => 'That expression is too long for me.',
    ends_early: () => 'The expression ends too early.',
    too_many_parentheses: () => 'Too many parentheses.',
    unclosed_parenthesis: () => 'A parenthesis is not closed.',
    not_understood: ({ token }) => `I don't understand "${token}".`,
    nested_too_deeply: () => 'That is nested too deeply.',
    division_by_zero: () => 'Division by zero is not defined.',
    empty: () => 'There is nothing to calculate.',
    too_large: () => 'The result is too large.',
  },
  'zh-CN': {
    too_long: () => '这个算式太长了，我算不了。',
    ends_early: () => '算式还没写完。',
    too_many_parentheses: () => '括号太多了。',
    unclosed_parenthesis: () => '有一个括号没有闭合。',
    not_understood: ({ token }) => `我看不懂“${token}”。`,
    nested_too_deeply: () => '嵌套太深了。',
    division_by_zero: () => '不能除以零。',
    empty: () => '没有可以计算的内容。',
    too_large: () => '结果太大了。',
  },
};

/** The error's words in `locale`. */
export function arithmeticErrorText(error: ArithmeticError, locale: ServerLocale): string {
  const words = TEXTS[locale][error.code] as (error: ArithmeticError) => string;
  return words(error);
}
