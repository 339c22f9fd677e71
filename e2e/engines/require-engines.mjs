// Fails early, and helpfully, when this machine lacks what the engines suite needs.
import { existsSync } from 'node:fs';

const needs = [
  [process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', 'firefox-esr'],
  [process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver', 'webkit2gtk-driver'],
  [process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', 'webkit2gtk-driver'],
  ['/usr/bin/xvfb-run', 'xvfb'],
];
const missing = needs.filter(([file]) => !existsSync(file));
if (missing.length > 0) {
  console.error(`
The engines suite (Firefox and WebKit) needs ${missing.map(([file]) => file).join(', ')}, and it is not there.
  Debian/Ubuntu:  sudo apt-get install -y ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')}
`);
  process.exit(1);
}
if (!existsSync('dist/client/index.html')) {
  console.error('The engines suite serves the built client: run `npx vite build` (or `npm run test:e2e`, which builds) first.');
  process.exit(1);
}
