/**
 * The loader host pages import (docs/EMBEDDING.md):
 *
 *   <script type="module" src="https://CHAT_HOST/widget.js" data-site="KEY"></script>
 *
 * or `<happy-chat-widget site="KEY">` anywhere in the page. Defines the
 * element, mounts it from the script tag (and keeps it mounted across
 * single-page-app navigation), and installs `window.HappyChat`.
 */
import { happyChat } from './happy-chat-api.js';
import { HappyChatWidget } from './happy-chat-widget.js';
import { keepMounted, mountFromScript } from './auto-mount.js';

declare global {
  interface Window {
    HappyChat?: unknown;
  }
}

const TAG = 'happy-chat-widget';

// A second copy of the loader on the same page (another URL) leaves the first in charge.
if (!customElements.get(TAG)) {
  const queued = (window.HappyChat as { q?: unknown } | undefined)?.q;
  window.HappyChat = happyChat;
  customElements.define(TAG, HappyChatWidget);
  happyChat.replay(queued);
  const mounted = mountFromScript(TAG, import.meta.url);
  if (mounted) keepMounted(mounted);
}
