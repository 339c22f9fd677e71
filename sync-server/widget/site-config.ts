/** What the launcher and the iframe may know about a site: no secret, no owner, no origins. */
import type { PublicSiteConfig } from '../../shared/widget.js';
import type { SiteRecord } from '../store/database.js';

export function publicConfig(site: SiteRecord): PublicSiteConfig {
  return { key: site.key, name: site.name, greeting: site.greeting, color: site.color, position: site.position };
}
