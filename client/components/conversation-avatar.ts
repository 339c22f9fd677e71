/** The robot's face, wherever its conversation is shown (the list, the chat header). */
import { html, type TemplateResult } from 'lit';

/** Same-origin and precached, so it shows offline too. */
export const ROBOT_AVATAR_URL = '/icons/robot.svg';

export function robotAvatar(size: number): TemplateResult {
  return html`<img src=${ROBOT_AVATAR_URL} width=${size} height=${size} alt="" data-testid="robot-avatar"
    style="flex: none; border-radius: 50%" />`;
}
