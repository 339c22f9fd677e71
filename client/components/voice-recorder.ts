/**
 * `<voice-recorder>`: recording a voice message in place of the message box
 * (issue 15). It asks for the microphone as it appears, shows the time
 * while recording, and ends with Send (`voice-send` with the recording) or
 * Cancel (`voice-close`). A refused or missing microphone is said in words
 * the person can act on, with Close. The recording itself is
 * client/data/voice/voice-recording.ts.
 */
import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type RecordedVoice, type RecordingRefusal, VoiceRecording } from '../data/voice/voice-recording.js';
import { clockText } from '../data/voice/waveform.js';

export type VoiceSendDetail = RecordedVoice;

type Phase =
  | { kind: 'starting' }
  | { kind: 'recording'; recording: VoiceRecording }
  | { kind: 'refused'; why: RecordingRefusal }
  | { kind: 'done' };

/** How often the shown time moves while recording. */
const TICK_MS = 250;

@customElement('voice-recorder')
@localized()
export class VoiceRecorder extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 8px 10px;
      min-height: 44px;
      box-sizing: border-box;
    }
    .dot {
      width: 12px;
      height: 12px;
      border-radius: 50%;
      background: var(--hc-danger, #c62828);
      animation: pulse 1.2s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        opacity: 0.35;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .dot {
        animation: none;
      }
    }
    .time {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .what {
      flex: 1;
      min-width: 0;
      color: var(--hc-muted, #5b6472);
    }
    .problem {
      flex: 1;
      color: var(--hc-danger, #c62828);
    }
    button {
      font: inherit;
      min-height: 40px;
      padding: 0 14px;
      border-radius: 999px;
      cursor: pointer;
      border: 1px solid var(--hc-border, #dde2ea);
      background: var(--hc-surface, #fff);
      color: inherit;
    }
    button.send {
      border-color: transparent;
      background: var(--hc-accent, #2f6fde);
      color: var(--hc-on-fill, #fff);
      font-weight: 600;
    }
  `;

  @state() private phase: Phase = { kind: 'starting' };
  @state() private elapsedMs = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicking();
    if (this.phase.kind === 'recording') this.phase.recording.cancel();
    this.phase = { kind: 'done' };
  }

  override render() {
    const phase = this.phase;
    if (phase.kind === 'refused') {
      return html`<p class="problem" role="alert" data-testid="voice-problem">${refusalText(phase.why)}</p>
        <button type="button" @click=${this.close}>${msg('Close')}</button>`;
    }
    const recording = phase.kind === 'recording';
    return html`<span class="dot" aria-hidden="true"></span>
      <span class="time" data-testid="voice-elapsed" role="timer" aria-label=${msg('Recording time')}>${clockText(this.elapsedMs)}</span>
      <span class="what">${recording ? msg('Recording…') : msg('Starting the microphone…')}</span>
      <button type="button" data-testid="voice-cancel" @click=${this.close}>${msg('Cancel')}</button>
      <button type="button" class="send" data-testid="voice-send" ?disabled=${!recording} @click=${this.send}>${msg('Send')}</button>`;
  }

  private async start() {
    const started = await VoiceRecording.start(() => void this.send());
    if (this.phase.kind !== 'starting') {
      // Closed while the browser asked for the microphone.
      if (typeof started !== 'string') started.cancel();
      return;
    }
    if (typeof started === 'string') {
      this.phase = { kind: 'refused', why: started };
      return;
    }
    this.phase = { kind: 'recording', recording: started };
    this.ticker = setInterval(() => (this.elapsedMs = started.elapsedMs()), TICK_MS);
  }

  private async send() {
    const phase = this.phase;
    if (phase.kind !== 'recording') return;
    this.phase = { kind: 'done' };
    this.stopTicking();
    const voice = await phase.recording.finish();
    if (voice) this.dispatchEvent(new CustomEvent<VoiceSendDetail>('voice-send', { detail: voice, bubbles: true, composed: true }));
    else this.close();
  }

  private close() {
    this.stopTicking();
    if (this.phase.kind === 'recording') this.phase.recording.cancel();
    this.phase = { kind: 'done' };
    this.dispatchEvent(new CustomEvent('voice-close', { bubbles: true, composed: true }));
  }

  private stopTicking() {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

function refusalText(why: RecordingRefusal): string {
  if (why === 'denied') return msg('The microphone is blocked. Allow it for this site in the browser’s settings, then try again.');
  if (why === 'no-microphone') return msg('No microphone was found on this device.');
  return msg('This browser cannot record voice messages.');
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-recorder': VoiceRecorder;
  }
}
