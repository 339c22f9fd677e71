/**
 * A small arithmetic evaluator for the robot: numbers, + - * / % ^,
 * parentheses and unary minus. A parser, never `eval`; bounded input.
 */

const MAX_LENGTH = 200;
const MAX_DEPTH = 50;

export type Evaluation = { ok: true; value: number } | { ok: false; error: string };

export function evaluate(expression: string): Evaluation {
  if (expression.length > MAX_LENGTH) return { ok: false, error: 'That expression is too long for me.' };
  const tokens =
    expression
      .replace(/×/g, '*')
      .replace(/÷/g, '/')
      .match(/\d+(?:\.\d+)?|[-+*/%^()]|\S/g) ?? [];
  let position = 0;
  let depth = 0;

  const peek = () => tokens[position];
  const fail = (message: string): never => {
    throw new Error(message);
  };

  function primary(): number {
    const token = tokens[position++];
    if (token === undefined) return fail('The expression ends too early.');
    if (token === '(') {
      if (++depth > MAX_DEPTH) fail('Too many parentheses.');
      const value = sum();
      if (tokens[position++] !== ')') fail('A parenthesis is not closed.');
      depth--;
      return value;
    }
    if (token === '-') return -unary();
    if (token === '+') return unary();
    if (/^\d/.test(token)) return Number(token);
    return fail(`I don't understand "${token}".`);
  }

  function unary(): number {
    if (++depth > MAX_DEPTH) fail('That is nested too deeply.');
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
      if ((operator === '/' || operator === '%') && right === 0) fail('Division by zero is not defined.');
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
    if (tokens.length === 0) return { ok: false, error: 'There is nothing to calculate.' };
    const value = sum();
    if (position !== tokens.length) return { ok: false, error: `I don't understand "${tokens[position]}".` };
    if (!Number.isFinite(value)) return { ok: false, error: 'The result is too large.' };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Whether a text looks like a calculation ("2+3*4", "(1+2)/3"). */
export function looksLikeArithmetic(text: string): boolean {
  return /^[\d\s.+\-*/%^()×÷]+$/.test(text) && /\d/.test(text) && /[+\-*/%^×÷]/.test(text);
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
