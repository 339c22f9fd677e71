/** The round picture of a conversation: the robot's face for the robot, otherwise the title's first letter. */
import { html, svg, type TemplateResult } from 'lit';

const ROBOT_FACE = svg`<svg viewBox="0 0 40 40" width="100%" height="100%" aria-hidden="true">
  <circle cx="20" cy="20" r="20" fill="#6c5ce7" />
  <path d="M20 6v5" stroke="#fff" stroke-width="2" stroke-linecap="round" />
  <circle cx="20" cy="6" r="2" fill="#ffd166" />
  <rect x="9" y="11" width="22" height="18" rx="6" fill="#fff" />
  <circle cx="15.5" cy="19" r="2.6" fill="#6c5ce7" />
  <circle cx="24.5" cy="19" r="2.6" fill="#6c5ce7" />
  <path d="M15 24.5q5 3 10 0" stroke="#6c5ce7" stroke-width="1.8" fill="none" stroke-linecap="round" />
  <rect x="5" y="16" width="3" height="7" rx="1.5" fill="#fff" />
  <rect x="32" y="16" width="3" height="7" rx="1.5" fill="#fff" />
</svg>`;

/** The robot's face, sized by its container. */
export function robotFace(): TemplateResult {
  return html`${ROBOT_FACE}`;
}

/** The first letter (not UTF-16 unit) of a title. */
export function titleInitial(title: string): string {
  const first = Array.from(title.trim())[0];
  return first ? first.toLocaleUpperCase() : '?';
}
