import { describe, expect, it } from 'vitest';
import { linkParts } from './linkify.js';

describe('linkParts', () => {
  it('links http and https and keeps the rest as text', () => {
    expect(linkParts('see https://example.com/a?b=1 now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('never links other schemes', () => {
    expect(linkParts('javascript:alert(1) data:text/html,x')).toEqual([{ kind: 'text', text: 'javascript:alert(1) data:text/html,x' }]);
  });

  it('leaves sentence punctuation and an unbalanced parenthesis outside the link', () => {
    expect(linkParts('(at http://x.org/p.)')).toEqual([
      { kind: 'text', text: '(at ' },
      { kind: 'link', text: 'http://x.org/p', href: 'http://x.org/p' },
      { kind: 'text', text: '.)' },
    ]);
    expect(linkParts('https://en.wikipedia.org/wiki/Yjs_(software)')[0]).toMatchObject({
      text: 'https://en.wikipedia.org/wiki/Yjs_(software)',
    });
  });

  it('does not split times or text with colons', () => {
    expect(linkParts('meet at 10:30: ok')).toEqual([{ kind: 'text', text: 'meet at 10:30: ok' }]);
  });
});
