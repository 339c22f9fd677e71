import { rmSync } from 'node:fs';
import { E2E_DATA_DIR } from './environment.js';

/** Every run starts with an empty DATA_DIR. */
export default function globalSetup(): void {
  rmSync(E2E_DATA_DIR, { recursive: true, force: true });
}
