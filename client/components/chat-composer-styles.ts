/** Styles of `<chat-composer>`: the box, its tools, the reply banner, pictures waiting to be sent. */
import { css } from 'lit';

/** The box grows with its text up to this height, then scrolls. */
export const COMPOSER_MAX_HEIGHT_PX = 160;

export const composerStyles = css`
  :host {
    position: relative;
    display: block;
    padding: 8px 12px calc(8px + env(safe-area-inset-bottom, 0px));
    background: var(--hc-surface, #fff);
    border-top: 1px solid var(--hc-border, #dde2ea);
  }
  :host([hidden]) {
    display: none;
  }
  form {
    display: flex;
    align-items: flex-end;
    gap: 6px;
  }
  textarea {
    flex: 1;
    width: auto;
    min-width: 0;
    resize: none;
    max-height: ${COMPOSER_MAX_HEIGHT_PX}px;
    line-height: 1.4;
  }
  .tool {
    flex: none;
    display: grid;
    place-items: center;
    min-width: 40px;
    padding: 0;
    font-size: 1.3rem;
    color: var(--hc-muted, #5b6472);
    background: none;
    border: 0;
    cursor: pointer;
  }
  .tool:hover {
    background: var(--hc-bg, #f3f5f9);
  }
  /* On a phone four tools (emoji, attach, camera, microphone) and Send leave the box room for its placeholder. */
  @media (max-width: 420px) {
    form {
      gap: 2px;
    }
    .tool {
      min-width: 34px;
    }
    button[type='submit'] {
      padding-inline: 12px;
    }
  }
  /* While a voice message is recorded, the recorder stands in for the box (its draft kept). */
  form[hidden] {
    display: none;
  }
  .hidden-input {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    pointer-events: none;
  }
  .banner {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 6px;
    padding: 4px 4px 4px 10px;
    font-size: 0.85rem;
    border-left: 3px solid var(--hc-accent, #2f6fde);
    background: var(--hc-bg, #f3f5f9);
    border-radius: 4px;
  }
  .banner span {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .banner button {
    min-height: 32px;
    min-width: 32px;
    padding: 0;
    color: var(--hc-muted, #5b6472);
    background: none;
  }
  .staged {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 0 0 6px;
  }
  .staged figure {
    position: relative;
    margin: 0;
  }
  .staged img {
    display: block;
    width: 64px;
    height: 64px;
    object-fit: cover;
    border-radius: 8px;
    border: 1px solid var(--hc-border, #dde2ea);
  }
  .staged figure.busy img {
    opacity: 0.5;
  }
  .staged figure button {
    position: absolute;
    top: -6px;
    right: -6px;
    min-width: 24px;
    min-height: 24px;
    padding: 0;
    font-size: 0.9rem;
    line-height: 1;
    border-radius: 50%;
  }
  .staged figcaption {
    max-width: 64px;
    font-size: 0.7rem;
    color: var(--hc-danger, #c0392b);
  }
  emoji-picker {
    position: absolute;
    bottom: calc(100% + 4px);
    left: 8px;
    z-index: 5;
  }
  .count {
    margin: 4px 0 0;
    font-size: 0.8rem;
    color: var(--hc-muted, #5b6472);
    text-align: right;
  }
  .count.over,
  .problem {
    color: var(--hc-danger, #c0392b);
  }
  .problem {
    margin: 4px 0 0;
    font-size: 0.85rem;
  }
`;
