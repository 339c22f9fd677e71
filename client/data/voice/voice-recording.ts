/**
 * Records one voice message in the browser (issue 15): the microphone
 * through `MediaRecorder`, its loudness sampled ten times a second for the
 * waveform (an `AnalyserNode`), stopped by the person or at
 * VOICE_MAX_DURATION_MS. No rendering: `<voice-recorder>` shows it.
 */
import { VOICE_MAX_DURATION_MS } from '../../../shared/limits.js';
import { peaksOf } from './waveform.js';

/** A finished recording, ready for the outbox. */
export interface RecordedVoice {
  bytes: ArrayBuffer;
  /** The recorder's type, e.g. `audio/webm;codecs=opus` (the outbox keeps it without parameters). */
  mime: string;
  durationMs: number;
  peaks: number[];
}

/** Why recording could not start, in terms the recorder element words for the person. */
export type RecordingRefusal = 'denied' | 'no-microphone' | 'unsupported';

const SAMPLE_EVERY_MS = 100;

export class VoiceRecording {
  private readonly samples: number[] = [];
  private readonly chunks: Blob[] = [];
  private readonly startedAt: number;
  private sampler: ReturnType<typeof setInterval> | undefined;
  private limitTimer: ReturnType<typeof setTimeout> | undefined;
  private audio: AudioContext | undefined;
  private finished: Promise<RecordedVoice | undefined> | undefined;

  private constructor(
    private readonly stream: MediaStream,
    private readonly recorder: MediaRecorder,
    /** Called when the length limit stopped the recording by itself. */
    onLimit: () => void,
  ) {
    this.startedAt = performance.now();
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    });
    recorder.start();
    this.listen();
    this.limitTimer = setTimeout(onLimit, VOICE_MAX_DURATION_MS);
  }

  /** Asks for the microphone and starts recording; a refusal says why. */
  static async start(onLimit: () => void): Promise<VoiceRecording | RecordingRefusal> {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') return 'unsupported';
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      const name = (error as { name?: string }).name;
      return name === 'NotFoundError' || name === 'OverconstrainedError' ? 'no-microphone' : 'denied';
    }
    return new VoiceRecording(stream, new MediaRecorder(stream), onLimit);
  }

  /** How long it has been recording. */
  elapsedMs(): number {
    return Math.min(performance.now() - this.startedAt, VOICE_MAX_DURATION_MS);
  }

  /** Stops and hands over the recording (undefined when nothing was recorded). */
  finish(): Promise<RecordedVoice | undefined> {
    this.finished ??= new Promise((resolve) => {
      const durationMs = Math.round(this.elapsedMs());
      this.recorder.addEventListener(
        'stop',
        () => {
          const blob = new Blob(this.chunks, { type: this.recorder.mimeType || 'audio/webm' });
          this.release();
          if (blob.size === 0) return resolve(undefined);
          void blob.arrayBuffer().then((bytes) => resolve({ bytes, mime: blob.type, durationMs, peaks: peaksOf(this.samples) }));
        },
        { once: true },
      );
      if (this.recorder.state === 'inactive') this.recorder.dispatchEvent(new Event('stop'));
      else this.recorder.stop();
    });
    return this.finished;
  }

  /** Throws the recording away and lets go of the microphone. */
  cancel(): void {
    this.finished ??= Promise.resolve(undefined);
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    this.release();
  }

  private listen(): void {
    try {
      this.audio = new AudioContext();
      const analyser = this.audio.createAnalyser();
      analyser.fftSize = 1024;
      this.audio.createMediaStreamSource(this.stream).connect(analyser);
      const frame = new Float32Array(analyser.fftSize);
      this.sampler = setInterval(() => {
        analyser.getFloatTimeDomainData(frame);
        let sum = 0;
        for (const value of frame) sum += value * value;
        this.samples.push(Math.sqrt(sum / frame.length));
      }, SAMPLE_EVERY_MS);
    } catch (error) {
      // No waveform then: the message still has its length and plays.
      console.warn('No loudness for the waveform', error);
    }
  }

  private release(): void {
    if (this.sampler !== undefined) clearInterval(this.sampler);
    if (this.limitTimer !== undefined) clearTimeout(this.limitTimer);
    this.sampler = undefined;
    this.limitTimer = undefined;
    for (const track of this.stream.getTracks()) track.stop();
    void this.audio?.close().catch(() => undefined);
    this.audio = undefined;
  }
}
