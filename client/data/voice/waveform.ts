/**
 * A voice message's waveform (issue 15): loudness sampled while recording,
 * squeezed into at most VOICE_PEAKS_MAX bars of 0…VOICE_PEAK_MAX, the bounds
 * shared/message-rules.ts holds every voice message to. Pure.
 */
import { VOICE_PEAK_MAX, VOICE_PEAKS_MAX } from '../../../shared/limits.js';

/** Bars from loudness samples (0…1 each): each bar the loudest sample of its slice, the loudest bar at full height. */
export function peaksOf(samples: readonly number[], bars = VOICE_PEAKS_MAX): number[] {
  const count = Math.min(bars, VOICE_PEAKS_MAX, samples.length);
  if (count === 0) return [];
  const slices: number[] = [];
  for (let bar = 0; bar < count; bar++) {
    const from = Math.floor((bar * samples.length) / count);
    const to = Math.max(from + 1, Math.floor(((bar + 1) * samples.length) / count));
    let loudest = 0;
    for (let i = from; i < to; i++) loudest = Math.max(loudest, Number.isFinite(samples[i]) ? samples[i] : 0);
    slices.push(loudest);
  }
  const top = Math.max(...slices);
  return slices.map((value) => (top > 0 ? Math.round((Math.max(0, value) / top) * VOICE_PEAK_MAX) : 0));
}

/** `m:ss` for a length in milliseconds (a voice message lasts minutes, never hours). */
export function clockText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
