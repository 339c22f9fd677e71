/**
 * Runs once before the end-to-end specs: every run starts with an empty
 * DATA_DIR, so no person or mail from an earlier run can answer for this one.
 */
import { rmSync } from 'node:fs';
import { E2E_DATA_DIR } from './environment.js';

/** Every run starts with an empty DATA_DIR. */
export default function globalSetup(): void {
  rmSync(E2E_DATA_DIR, { recursive: true, force: true });
}
