/**
 * The declarations that take something out of sight but leave it to screen readers (a heading
 * shown as an icon, the log of incoming messages): one rule wherever the app needs it. Used inside
 * a rule, e.g. css`.visually-hidden { ${visuallyHidden} }`.
 */
import { css } from 'lit';

export const visuallyHidden = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
`;
