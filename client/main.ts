/** Entry point: the app element, and the service worker in production builds. */
import './components/chat-app.js';
import { applyTheme } from './components/theme-styles.js';
import { savedTheme } from './data/device/theme-choice.js';
import { askForPersistenceWhenInstalled } from './data/device/storage-persistence.js';
import { startLocalization } from './i18n/localization.js';

// Light or dark as chosen on this device (else as the system is), before the first paint of the app.
applyTheme(savedTheme(localStorage));

// The app is put on the page once its language is in: English at once, another
// language after its texts have loaded (a few ms, from the cache), so a Chinese
// page never paints English first. If the texts cannot load, the app starts in English.
void startLocalization()
  .catch((error: unknown) => console.warn('Could not load the language; starting in English', error))
  .finally(() => document.body.prepend(document.createElement('chat-app')));

askForPersistenceWhenInstalled();

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void registerServiceWorker();
}

async function registerServiceWorker() {
  const [{ Workbox }] = await Promise.all([import('workbox-window'), import('./components/update-banner.js')]);
  const workbox = new Workbox('/sw.js', { type: 'module' });
  workbox.addEventListener('waiting', () => {
    if (document.querySelector('update-banner')) return;
    const banner = document.createElement('update-banner');
    banner.workbox = workbox;
    document.body.append(banner);
  });
  try {
    await workbox.register();
  } catch (error) {
    // The app works without it (no offline start); say why in the console.
    console.warn('Service worker registration failed', error);
  }
}
