import { describe, expect, it } from 'vitest';
import { DELETED_PREVIEW, VOICE_PREVIEW } from '../../../shared/heads.js';
import { shownPreview } from './head-preview.js';

describe('shownPreview', () => {
  it('marks a file by its name and a voice message in the reader’s words (issue 15)', () => {
    expect(shownPreview({ kind: 'file', preview: 'report.pdf' })).toBe('File: report.pdf');
    expect(shownPreview({ kind: 'voice', preview: VOICE_PREVIEW })).toBe('Voice message');
    expect(shownPreview({ kind: 'file', preview: DELETED_PREVIEW })).toBe('Message deleted');
    expect(shownPreview({ kind: 'text', preview: 'hello' })).toBe('hello');
  });
});
