/**
 * Finds text a person would read that did not go through msg(): bare words
 * between the tags of an html`` template, literal values of the attributes
 * people read or hear (placeholder, aria-label, title, alt, label), and
 * capitalised string literals inside a template's expressions
 * (`${busy ? 'Saving…' : 'Save'}`). A scan of the source, not a parser:
 * good enough to catch a forgotten string, with an allowlist for the rest.
 */

/** One finding: the text, and the line it is on. */
export interface UntranslatedText {
  line: number;
  text: string;
}

interface Template {
  /** The template's static text with `\uE000` where each expression was. */
  statics: string;
  start: number;
  /** String literals found in its expressions (not in nested templates). */
  literals: { text: string; at: number }[];
}

/** Every html`` template in `source` (nested ones included), with the string literals of its expressions. */
function htmlTemplates(source: string): Template[] {
  const found: Template[] = [];
  let i = 0;

  function skipString(quote: string): string {
    const start = ++i;
    while (i < source.length && source[i] !== quote) i += source[i] === '\\' ? 2 : 1;
    return source.slice(start, i++);
  }

  function skipComment(): boolean {
    if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i);
      if (i < 0) i = source.length;
      return true;
    }
    if (source.startsWith('/*', i)) {
      i = source.indexOf('*/', i) + 2;
      if (i < 2) i = source.length;
      return true;
    }
    return false;
  }

  /** Code up to a `}` that closes depth 0 (or the end), collecting its string literals into `literals`. */
  function code(literals: Template['literals'] | null, untilBrace: boolean): void {
    let depth = 0;
    while (i < source.length) {
      if (skipComment()) continue;
      const c = source[i];
      if (c === "'" || c === '"') {
        const at = i;
        const text = skipString(c);
        literals?.push({ text, at });
      } else if (c === '`') {
        // msg(html`…`) is a translated template: its words are the message.
        const tag = source.slice(Math.max(0, i - 10), i);
        const translated = /msg\(\s*(html|str)$/.test(tag);
        template(tag.endsWith('html') && !translated, translated ? null : literals);
      } else if (c === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        if (depth === 0 && untilBrace) {
          i++;
          return;
        }
        depth--;
        i++;
      } else i++;
    }
  }

  /** `outer`: where a plain template inside an html`` expression counts as a string literal (`${`Remove ${name}`}`). */
  function template(isHtml: boolean, outer: Template['literals'] | null): void {
    const start = i++;
    let statics = '';
    const literals: Template['literals'] = [];
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        statics += source.slice(i, i + 2);
        i += 2;
      } else if (source.startsWith('${', i)) {
        i += 2;
        statics += '\uE000';
        code(isHtml ? literals : null, true);
      } else statics += source[i++];
    }
    i++;
    if (isHtml) found.push({ statics, start, literals });
    else outer?.push({ text: statics.replaceAll('\uE000', '{…}'), at: start });
  }

  code(null, false);
  return found;
}

const READ_ATTRIBUTES = /\s(placeholder|aria-label|aria-description|aria-roledescription|aria-valuetext|title|alt|label)="([^"\uE000]*)"/g;
const WORDS = /\p{L}{2,}/u;

/** The user-facing texts in `source`'s html`` templates that are not wrapped in msg(). */
export function untranslatedTexts(source: string): UntranslatedText[] {
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const findings: UntranslatedText[] = [];
  for (const template of htmlTemplates(source)) {
    const line = lineOf(template.start);
    const withoutComments = template.statics.replace(/<!--[\s\S]*?-->/g, '');
    for (const match of withoutComments.matchAll(READ_ATTRIBUTES)) {
      if (WORDS.test(match[2] ?? '')) findings.push({ line, text: `${match[1]}="${match[2]}"` });
    }
    const textNodes = withoutComments
      .replace(/<[^>]*>/g, '\uE001')
      .replace(/&[a-z]+;|&#\w+;/gi, ' ')
      .split(/[\uE000\uE001]/);
    for (const node of textNodes) {
      const text = node.trim();
      if (WORDS.test(text)) findings.push({ line, text });
    }
    for (const literal of template.literals) {
      // A capitalised word in an expression is text for people ('Save', 'Saving…'); class names, ids and event names are lower case.
      if (/^\p{Lu}\p{Ll}/u.test(literal.text) || /\p{Script=Han}/u.test(literal.text)) {
        if (!isMsgArgument(source, literal.at)) findings.push({ line: lineOf(literal.at), text: literal.text });
      }
    }
  }
  return findings;
}

/** Whether the literal at `offset` is the first argument of msg( … ). */
function isMsgArgument(source: string, offset: number): boolean {
  return /\bmsg\(\s*$/.test(source.slice(Math.max(0, offset - 10), offset));
}
