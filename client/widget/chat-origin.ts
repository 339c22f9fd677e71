/**
 * The chat server's origin (where this loader was served from): the iframe
 * lives there, and postMessage to and from it is checked against it.
 */
import type { PublicSiteConfig } from '../../shared/widget.js';

export const CHAT_ORIGIN = new URL(import.meta.url).origin;

/** The site's look and feel; null when it cannot be read (offline, unknown site, or this origin is not on its list). */
export async function fetchSiteConfig(site: string): Promise<PublicSiteConfig | null> {
  try {
    const response = await fetch(`${CHAT_ORIGIN}/api/widget/config?site=${encodeURIComponent(site)}`, { credentials: 'omit' });
    return response.ok ? ((await response.json()) as PublicSiteConfig) : null;
  } catch {
    return null;
  }
}
