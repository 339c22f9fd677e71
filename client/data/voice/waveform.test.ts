import { describe, expect, it } from 'vitest';
import { VOICE_PEAK_MAX, VOICE_PEAKS_MAX } from '../../../shared/limits.js';
import { clockText, peaksOf } from './waveform.js';

describe('peaksOf', () => {
  it('squeezes any number of samples into at most the bars a message may carry, loudest at full height', () => {
    const samples = Array.from({ length: 3000 }, (_, i) => (i % 100) / 200);
    const peaks = peaksOf(samples);
    expect(peaks).toHaveLength(VOICE_PEAKS_MAX);
    expect(Math.max(...peaks)).toBe(VOICE_PEAK_MAX);
    expect(peaks.every((peak) => Number.isInteger(peak) && peak >= 0 && peak <= VOICE_PEAK_MAX)).toBe(true);
  });

  it('keeps a short recording short, silence flat, and ignores what is not a number', () => {
    expect(peaksOf([0.1, 0.2])).toEqual([50, 100]);
    expect(peaksOf([0, 0, 0])).toEqual([0, 0, 0]);
    expect(peaksOf([])).toEqual([]);
    expect(peaksOf([Number.NaN, 0.5, Number.POSITIVE_INFINITY])).toEqual([0, 100, 0]);
  });
});

describe('clockText', () => {
  it('says minutes and seconds', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(4_999)).toBe('0:04');
    expect(clockText(125_000)).toBe('2:05');
  });
});
