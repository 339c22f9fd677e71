/**
 * `<voice-player>`: a voice message in a message (issue 15): play/pause,
 * its waveform filling as it plays, and the time (its length until played,
 * then what is left). The length and the waveform come from the message,
 * so they show before a byte of audio is loaded (`preload="none"`).
 */
import { localized, msg } from '@lit/localize';
import { css, html, LitElement, svg } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { VOICE_PEAK_MAX } from '../../shared/limits.js';
import { clockText } from '../data/voice/waveform.js';

/** Bars drawn when a message has no waveform: a flat line still shows progress. */
const FLAT = Array.from({ length: 32 }, () => 8);

@customElement('voice-player')
@localized()
export class VoicePlayer extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 2px 0 4px;
      min-width: min(180px, 100%);
      max-width: min(280px, 100%);
    }
    button {
      flex: none;
      width: 36px;
      height: 36px;
      border-radius: 50%;
      border: 0;
      background: var(--hc-accent, #2f6fde);
      color: var(--hc-on-fill, #fff);
      display: grid;
      place-items: center;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    .wave {
      flex: 1;
      height: 28px;
      min-width: 0;
    }
    .wave rect {
      fill: color-mix(in srgb, var(--hc-muted, #5b6472) 55%, transparent);
    }
    .wave rect.played {
      fill: var(--hc-accent, #2f6fde);
    }
    .time {
      flex: none;
      font-size: 0.8rem;
      font-variant-numeric: tabular-nums;
      color: var(--hc-muted, #5b6472);
    }
  `;

  /** The audio's address; none yet (the widget is still fetching it): the button waits. */
  @property() src: string | undefined;
  @property({ type: Number }) durationMs = 0;
  @property({ attribute: false }) peaks: number[] = [];
  @state() private playing = false;
  @state() private positionMs = 0;
  @query('audio') private audio?: HTMLAudioElement;

  override render() {
    const bars = this.peaks.length > 0 ? this.peaks : FLAT;
    const played = this.durationMs > 0 ? Math.min(1, this.positionMs / this.durationMs) : 0;
    const width = 100 / bars.length;
    return html`<button type="button" data-testid="voice-play" aria-label=${this.playing ? msg('Pause voice message') : msg('Play voice message')}
        ?disabled=${!this.src} @click=${this.toggle}>
        ${
          this.playing
            ? svg`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><rect x="3.5" y="3" width="3" height="10" fill="currentColor" /><rect x="9.5" y="3" width="3" height="10" fill="currentColor" /></svg>`
            : svg`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M5 3l8 5-8 5z" fill="currentColor" /></svg>`
        }
      </button>
      <svg class="wave" viewBox="0 0 100 28" preserveAspectRatio="none" aria-hidden="true">
        ${bars.map((peak, i) => {
          const height = Math.max(2, (peak / VOICE_PEAK_MAX) * 26);
          return svg`<rect class=${(i + 0.5) / bars.length <= played ? 'played' : ''} x=${i * width + width * 0.15} y=${(28 - height) / 2}
            width=${width * 0.7} height=${height} rx="0.6" />`;
        })}
      </svg>
      <span class="time" data-testid="voice-duration">${clockText(this.playing || this.positionMs > 0 ? this.durationMs - this.positionMs : this.durationMs)}</span>
      <audio preload="none" src=${ifDefined(this.src)} @timeupdate=${this.moved} @ended=${this.ended} @pause=${() => (this.playing = false)}
        @play=${() => (this.playing = true)}></audio>`;
  }

  private toggle() {
    const audio = this.audio;
    if (!audio) return;
    if (audio.paused) {
      audio.play().catch((error: unknown) => {
        console.warn('The voice message could not be played', error);
        this.playing = false;
      });
    } else audio.pause();
  }

  private moved() {
    if (this.audio) this.positionMs = Math.min(this.durationMs, this.audio.currentTime * 1000);
  }

  private ended() {
    this.playing = false;
    this.positionMs = 0;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-player': VoicePlayer;
  }
}
