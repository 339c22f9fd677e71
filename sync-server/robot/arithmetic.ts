/**
 * A small arithmetic evaluator for the robot: numbers, + - * / % ^,
 * parentheses and unary minus. A parser, never `eval`; bounded input.
 * Errors are codes: the robot words them in the asker's language
 * (sync-server/i18n/arithmetic-texts.ts).
 */

const MAX_LENGTH = 200;
const MAX_DEPTH = 50;

export type ArithmeticError =
  | { code: 'too_long' }
  | { code: 'ends_early' }
  | { code: 'too_many_parentheses' }
  | { code: 'unclosed_parenthesis' }
  | { code: 'not_understood'; token: string }
  | { code: 'nested_too_deeply' }
  | { code: 'division_by_zero' }
  | { code: 'empty' }
  | { code: 'too_large' };

export type Evaluation = { ok: true; value: number } | { ok: false; error: ArithmeticError };

/** Thrown inside the parser, caught at its top. */
class Failure extends Error {
  constructor(readonly reason: ArithmeticError) {
    super(reason.code);
  }
}

export function evaluate(expression: string): Evaluation {
  if (expression.length > MAX_LENGTH) return { ok: false, error: { code: 'too_long' } };
  const tokens =
    expression
      .replace(/×/g, '*')
      .replace(/÷/g, '/')
      .match(/\d+(?:\.\d+)?|[-+*/%^()]|\S/g) ?? [];
  let position = 0;
  let depth = 0;

  const peek = () => tokens[position];
  const fail = (reason: ArithmeticError): never => {
    throw new Failure(reason);
  };

  function primary(): number {
    const token = tokens[position++];
    if (token === undefined) return fail({ code: 'ends_early' });
    if (token === '(') {
      if (++depth > MAX_DEPTH) fail({ code: 'too_many_parentheses' });
      const value = sum();
      if (tokens[position++] !== ')') fail({ code: 'unclosed_parenthesis' });
      depth--;
      return value;
    }
    if (token === '-') return -unary();
    if (token === '+') return unary();
    if (/^\d/.test(token)) return Number(token);
    return fail({ code: 'not_understood', token });
  }

  function unary(): number {
    if (++depth > MAX_DEPTH) fail({ code: 'nested_too_deeply' });
    const value = primary();
    depth--;
    return value;
  }

  function power(): number {
    const base = unary();
    if (peek() === '^') {
      position++;
      return base ** power();
    }
    return base;
  }

  function product(): number {
    let value = power();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const operator = tokens[position++];
      const right = power();
      if ((operator === '/' || operator === '%') && right === 0) fail({ code: 'division_by_zero' });
      value = operator === '*' ? value * right : operator === '/' ? value / right : value % right;
    }
    return value;
  }

  function sum(): number {
    let value = product();
    while (peek() === '+' || peek() === '-') {
      const operator = tokens[position++];
      const right = product();
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  }

  try {
    if (tokens.length === 0) return { ok: false, error: { code: 'empty' } };
    const value = sum();
    if (position !== tokens.length) return { ok: false, error: { code: 'not_understood', token: tokens[position] ?? '' } };
    if (!Number.isFinite(value)) return { ok: false, error: { code: 'too_large' } };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: error.reason };
    throw error;
  }
}

/** Whether a text looks like a calculation ("2+3*4", "(1+2)/3"). */
export function looksLikeArithmetic(text: string): boolean {
  return /^[\d\s.+\-*/%^()×÷]+$/.test(text) && /\d/.test(text) && /[+\-*/%^×÷]/.test(text);
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
