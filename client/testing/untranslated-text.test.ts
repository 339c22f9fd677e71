// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the samples are source code, with its ${…}
/** The scan for texts left out of msg() (untranslated-text.ts), on small samples of component source. */
import { expect, it } from 'vitest';
import { untranslatedTexts } from './untranslated-text.js';

const texts = (source: string) => untranslatedTexts(source).map((found) => found.text);

it('finds bare words between tags, literal labels and capitalised strings in expressions', () => {
  const source = [
    'const a = html`<h1>Sign in</h1>`;',
    'const b = html`<input placeholder="Your email" aria-label="Email" title=${x}>`;',
    "const c = html`<button>${busy ? 'Saving…' : 'Save'}</button>`;",
    'const d = html`<p>${count} new</p>`;',
    'const e = html`<p>${ok ? html`<b>Done</b>` : nothing}</p>`;',
    "const f = html`<p>${ok ? '已完成' : ''}</p>`;",
    'const g = html`<button aria-label=${`Remove ${name}`}></button>`;',
  ].join('\n');
  expect(texts(source)).toEqual([
    'Sign in',
    'placeholder="Your email"',
    'aria-label="Email"',
    'Saving…',
    'Save',
    'new',
    'Done',
    '已完成',
    'Remove {…}',
  ]);
});

it('lets msg(), attributes people do not read, css``, comments and entities pass', () => {
  const source = [
    'const a = html`<h1 class="title big" data-testid="heading">${msg(\'Sign in\')}</h1>`;',
    'const b = html`<input placeholder=${msg(\'Your email\')} type="email" autocomplete="email">`;',
    'const c = html`<p>${msg(html`Sent to <strong>${email}</strong>.`)}</p>`;',
    'const d = css`.x::after { content: "Hello"; }`;',
    'const e = html`<!-- Why: a note for developers --><span>&times; &nbsp;</span>`;',
    "const f = html`<p class=${ok ? 'shown' : 'hidden'}>${msg(str`${n} unread`)}</p>`;",
    'const g = html`<img src=${`/api/blobs/${id}`}>`;',
  ].join('\n');
  expect(texts(source)).toEqual([]);
});

it('tells the line of each finding', () => {
  expect(untranslatedTexts('const a = 1;\n\nconst b = html`<p>Hello</p>`;')).toEqual([{ line: 3, text: 'Hello' }]);
});
