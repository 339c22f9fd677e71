/**
 * The embeddable widget's HTTP contracts (docs/EMBEDDING.md, docs/API.md
 * "Widget"): a site's settings as its owner edits them and as the launcher
 * may see them, the visitor's session and identity requests, and a visitor
 * as the site's people see them. The postMessage protocol between the
 * launcher and our iframe is `widget-protocol.ts`, kept apart so the loader
 * imports it without zod.
 */
import { z } from 'zod';
import { NAME_MAX_LENGTH } from './limits.js';

/** An origin as browsers send it: scheme://host[:port], nothing else. */
const origin = z
  .string()
  .trim()
  .max(200)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
      } catch {
        return false;
      }
    },
    { message: 'invalid_request' },
  );

export const SITE_KEY_PATTERN = /^s[a-z2-7]{20,40}$/;

export const SiteSettings = z.object({
  name: z.string().trim().min(1, { message: 'title_required' }).max(NAME_MAX_LENGTH, { message: 'title_too_long' }),
  origins: z.array(origin).min(1, { message: 'invalid_request' }).max(20),
  greeting: z.string().trim().max(300, { message: 'text_too_long' }).default('Hi! How can we help?'),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { message: 'invalid_request' })
    .default('#2f6fde'),
  position: z.enum(['right', 'left']).default('right'),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

export const SiteUpdate = SiteSettings.partial();

export const SiteTeamRequest = z.object({ userIds: z.array(z.string().max(64)).max(50) });

/** What the launcher and the iframe may know about a site (no secret, no owner). */
export interface PublicSiteConfig {
  key: string;
  name: string;
  greeting: string;
  color: string;
  position: 'right' | 'left';
}

export interface SiteView extends PublicSiteConfig {
  origins: string[];
  team: string[];
  createdAt: number;
  /** Only when the site is created or its secret rotated. */
  secret?: string;
}

export const WidgetSessionRequest = z.object({
  site: z.string().regex(SITE_KEY_PATTERN, { message: 'invalid_request' }),
  /** The host page's origin, as the iframe learned it from the browser (`MessageEvent.origin`). */
  hostOrigin: origin,
  /** Start as a new visitor even if a token or cookie says who we were (the host's `reset`). */
  fresh: z.boolean().optional(),
});

export interface WidgetSession {
  /** Kept in the iframe's own storage; sent as `Authorization: Bearer …`. */
  token: string;
  guest: { id: string; name: string };
  conversationId: string;
  site: PublicSiteConfig;
}

export const IdentifyRequest = z.object({
  id: z.string().trim().min(1).max(200),
  name: z.string().trim().max(NAME_MAX_LENGTH).optional(),
  email: z.string().trim().max(254).optional(),
  /**
   * Made by the site's backend with the site's secret, hex: HMAC-SHA256 of
   * `"v2\n" + id + "\n" + name + "\n" + email` (docs/EMBEDDING.md). The old
   * HMAC of `id` alone verifies the id only.
   */
  hash: z.string().trim().max(128).optional(),
});

/** A visitor as the site owner sees them. */
export interface VisitorIdentity {
  id: string;
  name?: string;
  email?: string;
  /** The site's backend signed the id, name and email together: all of it is shown as verified. */
  verified: boolean;
  /** The id is signed (by either hash version); without `verified`, name and email are only the visitor's claims. */
  idVerified?: boolean;
}
