// Fails early, and helpfully, when there is no browser for the end-to-end tests.
import { existsSync } from 'node:fs';

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executable)) {
  console.error(`
The browser tests need Chromium at ${executable}, and it is not there.
  Debian/Ubuntu:  sudo apt-get install -y chromium
  elsewhere:      npx playwright install chromium, then set CHROMIUM_PATH to its executable
`);
  process.exit(1);
}
