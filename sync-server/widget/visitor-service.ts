/**
 * Widget visitors: a guest identity per browser and site, made or resumed
 * from the token the iframe keeps, with one conversation with the site's
 * owner (and team). A visitor's token works for that site only, and the
 * owner can revoke it (block the visitor).
 */
import type { VisitorIdentity, WidgetSession } from '../../shared/widget.js';
import { generateId, generateSecretToken, hashToken } from '../ids/random-ids.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import type { ConversationDocuments } from '../conversations/conversation-documents.js';
import { ok, rateLimited, refuse, type Outcome } from '../outcome.js';
import type { SocketRevoker } from '../relay/revocation.js';
import type { ConversationStore } from '../store/conversations.js';
import type { MembershipRecord, SiteRecord, UserRecord } from '../store/database.js';
import type { SiteStore } from '../store/sites.js';
import type { UserStore } from '../store/users.js';
import { checkIdentityHash } from './identity-hash.js';
import { publicConfig } from './site-config.js';
import { visitorSessionId, widgetConversationId } from './visitor-ids.js';

/** The codes this service refuses with (http/error-status.ts gives their statuses). */
export type VisitorError = 'not_found' | 'conversation_not_found' | 'user_not_found';

export type ArrivalError = 'not_found' | 'bad_origin' | 'blocked' | 'rate_limited';

export class VisitorService {
  constructor(
    private readonly sites: SiteStore,
    private readonly users: UserStore,
    private readonly conversations: ConversationStore,
    private readonly documents: ConversationDocuments,
    /** Cuts off sockets (on every relay, in a cluster). */
    private readonly revoker: SocketRevoker,
    /** New visitors per address and per site, over time (RATE_VISITORS_*). */
    private readonly newVisitorLimits: { perAddress: RateLimiter; perSite: RateLimiter },
  ) {}

  /**
   * A visitor arrives on a host page: resumed from their token, or new.
   * `hostOrigin` is the page the widget is on (the caller has it from the
   * browser); it must be on the site's list. `address`: where the request came from.
   */
  async arrive(
    siteKey: string,
    hostOrigin: string,
    token: string | undefined,
    address: string,
  ): Promise<Outcome<WidgetSession, ArrivalError>> {
    const site = await this.sites.byKey(siteKey);
    if (!site) return refuse('not_found');
    if (!site.origins.includes(hostOrigin)) return refuse('bad_origin', 'This site is not allowed to embed this chat.');
    const known = token ? await this.tokenStatus(token, site.key) : 'unknown';
    // A blocked visitor does not get a fresh identity just by coming back with their old token.
    if (known === 'blocked') return refuse('blocked');
    if (known !== 'valid') {
      for (const [limiter, key] of [
        [this.newVisitorLimits.perAddress, address],
        [this.newVisitorLimits.perSite, site.key],
      ] as const) {
        const limit = await limiter.consume(key);
        if (!limit.allowed) return rateLimited(limit.retryAfterSeconds);
      }
    }
    return ok(await this.startSession(site, known === 'valid' ? token : undefined));
  }

  /** Resumes the visitor behind `token` on this site, or makes a new one. */
  async startSession(site: SiteRecord, token: string | undefined): Promise<WidgetSession> {
    const existing = token ? await this.guestForToken(token, site.key) : undefined;
    if (existing && token) {
      return {
        token,
        guest: { id: existing.id, name: existing.name },
        conversationId: widgetConversationId(existing.id),
        site: publicConfig(site),
      };
    }
    const guest: UserRecord = {
      id: `v${generateId()}`,
      name: `Visitor ${1000 + Math.floor(Math.random() * 9000)}`,
      email: '',
      passwordHash: '!visitor-has-no-password',
      activated: true,
      createdAt: Date.now(),
      guestOf: site.key,
    };
    await this.users.create(guest);
    const fresh = generateSecretToken();
    await this.sites.putGuestToken(hashToken(fresh), guest.id);
    await this.sites.addVisitor(site.key, guest.id);
    const conversationId = widgetConversationId(guest.id);
    const now = Date.now();
    const members = new Map<string, MembershipRecord>([
      [site.ownerId, { role: 'owner', joinedAt: now }],
      [guest.id, { role: 'member', joinedAt: now }],
    ]);
    for (const teammate of site.team) members.set(teammate, { role: 'admin', joinedAt: now });
    // Listed for the site's people once the visitor writes (first-visitor-message.ts).
    await this.conversations.create(
      { id: conversationId, kind: 'widget', createdAt: now, title: site.name, hiddenUntilWritten: true },
      members,
    );
    await this.documents.refresh(conversationId);
    return { token: fresh, guest: { id: guest.id, name: guest.name }, conversationId, site: publicConfig(site) };
  }

  /** Whether a token is a working one for this site, a blocked visitor's, or nothing we know. */
  async tokenStatus(token: string, siteKey: string): Promise<'valid' | 'blocked' | 'unknown'> {
    const guestId = await this.sites.guestOfToken(hashToken(token));
    const guest = guestId ? await this.users.byId(guestId) : undefined;
    if (!guest || guest.guestOf !== siteKey) return 'unknown';
    return guest.revoked ? 'blocked' : 'valid';
  }

  /** The visitor a token belongs to, if it is valid for this site and not blocked. */
  async guestForToken(token: string, siteKey?: string): Promise<UserRecord | undefined> {
    const guestId = await this.sites.guestOfToken(hashToken(token));
    const guest = guestId ? await this.users.byId(guestId) : undefined;
    if (!guest?.guestOf || guest.revoked) return undefined;
    if (siteKey !== undefined && guest.guestOf !== siteKey) return undefined;
    // A deleted site's visitors are nobody any more.
    if (siteKey === undefined && !(await this.sites.byKey(guest.guestOf))) return undefined;
    return guest;
  }

  /**
   * Records who the host site says the visitor is. Verified only when the
   * hash signs the id, name and email together (identity-hash.ts); an old
   * id-only hash verifies the id, and the name and email stay claims.
   */
  async identify(
    guest: UserRecord,
    claim: { id: string; name?: string; email?: string; hash?: string },
  ): Promise<Outcome<VisitorIdentity, VisitorError>> {
    const site = guest.guestOf ? await this.sites.byKey(guest.guestOf) : undefined;
    if (!site) return refuse('not_found');
    const proof = checkIdentityHash(site.secret, claim, claim.hash);
    const verified = proof === 'all';
    const visitor: VisitorIdentity = { id: claim.id, verified, idVerified: proof !== 'nothing' };
    if (claim.name) visitor.name = claim.name;
    if (claim.email) visitor.email = claim.email;
    // An unverified claim never changes the name people see; it is shown as a claim.
    const updated: UserRecord = { ...guest, visitor, name: verified && claim.name ? claim.name : guest.name };
    await this.users.update(updated);
    await this.documents.refresh(widgetConversationId(guest.id));
    return ok(visitor);
  }

  /** Blocks the visitor of a widget conversation; the actor must be the site's owner or teammate. */
  async blockInConversation(actor: UserRecord, conversationId: string): Promise<Outcome<null, VisitorError>> {
    const conversation = await this.conversations.byId(conversationId);
    if (conversation?.kind !== 'widget') return refuse('conversation_not_found');
    for (const memberId of (await this.conversations.members(conversationId)).keys()) {
      const member = await this.users.byId(memberId);
      if (member?.guestOf) return this.block(actor, member.guestOf, member.id);
    }
    return refuse('conversation_not_found');
  }

  /** The owner (or a teammate) blocks a visitor: token revoked, sockets closed. */
  async block(actor: UserRecord, siteKey: string, guestId: string): Promise<Outcome<null, VisitorError>> {
    const site = await this.sites.byKey(siteKey);
    if (!site || (site.ownerId !== actor.id && !site.team.includes(actor.id))) return refuse('not_found');
    const guest = await this.users.byId(guestId);
    if (!guest || guest.guestOf !== siteKey) return refuse('user_not_found');
    await this.users.update({ ...guest, revoked: true });
    this.revoker.revoke({ kind: 'visitor-blocked', sessionId: visitorSessionId(guest.id) });
    this.revoker.revoke({ kind: 'member-removed', conversationId: widgetConversationId(guest.id), userId: guest.id });
    return ok(null);
  }
}
