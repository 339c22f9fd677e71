/** Entry point: the app element, and the service worker in production builds. */
import './components/chat-app.js';
import { applyTheme } from './components/theme-styles.js';
import { savedTheme } from './data/device/theme-choice.js';
import { askForPersistenceWhenInstalled } from './data/device/storage-persistence.js';
import { startLocalization } from './i18n/localization.js';

// Light or dark as chosen on this device (else as the system is), before the first paint of the app.
applyTheme(savedTheme(localStorage));

// The elements render in English at once and again in the person's language when it has loaded (a few ms, from the cache).
void startLocalization();

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
