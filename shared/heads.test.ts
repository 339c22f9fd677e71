import { describe, expect, it } from 'vitest';
import { HEAD_PREVIEW_MAX_LENGTH, isHead, previewOf, unreadOfHead, VOICE_PREVIEW } from './heads.js';
import { textMessage } from './testing/text-message.js';

describe('previewOf', () => {
  it('puts the text on one line, cut at the limit by characters (an emoji is never split)', () => {
    expect(previewOf(textMessage('a', ' two\n\nlines\t here '))).toBe('two lines here');
    const long = previewOf(textMessage('a', '😀'.repeat(200)));
    expect([...long]).toHaveLength(HEAD_PREVIEW_MAX_LENGTH);
    expect(long.endsWith('😀…')).toBe(true);
  });

  it('keeps a text of exactly the limit whole and cuts one character more, counting characters, not UTF-16 units', () => {
    const atLimit = 'a'.repeat(HEAD_PREVIEW_MAX_LENGTH);
    expect(previewOf(textMessage('a', atLimit))).toBe(atLimit);
    expect(previewOf(textMessage('a', `${atLimit}b`))).toBe(`${'a'.repeat(HEAD_PREVIEW_MAX_LENGTH - 1)}…`);
    // Twice the limit in UTF-16 units, the limit in characters: whole.
    const emoji = '😀'.repeat(HEAD_PREVIEW_MAX_LENGTH);
    expect(previewOf(textMessage('a', emoji))).toBe(emoji);
    expect(previewOf(textMessage('a', `${emoji}x`))).toBe(`${'😀'.repeat(HEAD_PREVIEW_MAX_LENGTH - 1)}…`);
    expect(previewOf(textMessage('a', ` ${atLimit}\n`))).toBe(atLimit);
  });

  it('puts every kind of whitespace on one line as collapsing and trimming would, and keeps a one-line text as it is', () => {
    const texts = [
      'one line as it is',
      'a  double space',
      ' leading',
      'trailing ',
      'tab\there',
      'no-break\u00a0space',
      'line\u2028separator',
      '\n',
      ' ',
      'x',
      'ends with a newline\n',
      '\u3000ideographic space',
    ];
    for (const text of texts) expect(previewOf(textMessage('a', text))).toBe(text.replace(/\s+/g, ' ').trim());
  });

  it('says "Picture" for a picture without a caption, and keeps a caption', () => {
    expect(previewOf(textMessage('a', '', { kind: 'image' }))).toBe('Picture');
    expect(previewOf(textMessage('a', 'the view', { kind: 'image' }))).toBe('the view');
  });

  it('says "Voice message" for a voice message and names a file by its name, on one line', () => {
    expect(previewOf(textMessage('a', '', { kind: 'voice' }))).toBe(VOICE_PREVIEW);
    const attachments = [{ blobId: 'b', mime: 'application/pdf', name: 'Q3\nreport.pdf', size: 1 }];
    const file = textMessage('a', '', { kind: 'file', attachments });
    expect(previewOf(file)).toBe('Q3 report.pdf');
  });

  it('says "Message deleted" for a deleted or missing message, never its text', () => {
    expect(previewOf(textMessage('a', 'secret', { deleted: true }))).toBe('Message deleted');
    expect(previewOf(undefined)).toBe('Message deleted');
  });
});

describe('heads', () => {
  it('unread is what came after the read marker, never below zero', () => {
    expect(unreadOfHead({ seq: 7, readSeq: 4 })).toBe(3);
    expect(unreadOfHead({ seq: 4, readSeq: 9 })).toBe(0);
  });

  it('tells a head from anything else a replica may hold', () => {
    expect(isHead({ seq: 1, at: 2, author: 'a', kind: 'text', preview: 'p', readSeq: 0 })).toBe(true);
    expect(isHead({ seq: '1', at: 2, author: 'a', kind: 'text', preview: 'p', readSeq: 0 })).toBe(false);
    expect(isHead(null)).toBe(false);
  });
});
