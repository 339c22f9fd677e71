/**
 * The declarations of the small rounded text button around messages (the actions bar, the editor,
 * "try again" on a failed send): one look wherever it appears. Used inside a rule, e.g.
 * css`.bar > button { ${pillButton} }`.
 */
import { css } from 'lit';

export const pillButton = css`
  min-height: 32px;
  padding: 2px 10px;
  font: inherit;
  font-size: 0.8rem;
  font-weight: 600;
  color: var(--hc-accent-dark, #2459b8);
  background: var(--hc-surface, #fff);
  border: 1px solid var(--hc-border, #dde2ea);
  border-radius: 999px;
  cursor: pointer;
`;
