/**
 * Sites that embed the chat widget: created and configured by their owner
 * in the app, with allowed origins, look and feel, a secret for verifying
 * visitors, and teammates (friends) who answer visitors too.
 */
import { SITE_KEY_PATTERN, type SiteSettings, type SiteView } from '../../shared/widget.js';
import { generateId, generateSecretToken } from '../ids/random-ids.js';
import type { ConversationDocuments } from '../conversations/conversation-documents.js';
import { ok, refuse, type Outcome } from '../outcome.js';
import type { SocketRevoker } from '../relay/revocation.js';
import type { ConversationStore } from '../store/conversations.js';
import type { SiteRecord, UserRecord } from '../store/database.js';
import type { FriendStore } from '../store/friends.js';
import type { SiteStore } from '../store/sites.js';
import { publicConfig } from './site-config.js';
import { widgetConversationId } from './visitor-ids.js';

/** The codes this service refuses with (http/error-status.ts gives their statuses). */
export type SiteError = 'forbidden' | 'not_found' | 'not_friends';

function view(site: SiteRecord, withSecret = false): SiteView {
  const result: SiteView = { ...publicConfig(site), origins: site.origins, team: site.team, createdAt: site.createdAt };
  if (withSecret) result.secret = site.secret;
  return result;
}

export class SiteService {
  constructor(
    private readonly sites: SiteStore,
    private readonly friends: FriendStore,
    private readonly conversations: ConversationStore,
    private readonly documents: ConversationDocuments,
    /** Cuts off sockets (on every relay, in a cluster). */
    private readonly revoker: SocketRevoker,
  ) {}

  async create(owner: UserRecord, settings: SiteSettings): Promise<Outcome<SiteView, SiteError>> {
    if (owner.guestOf) return refuse('forbidden');
    const site: SiteRecord = {
      key: `s${generateId()}`,
      ownerId: owner.id,
      secret: generateSecretToken(),
      team: [],
      createdAt: Date.now(),
      ...settings,
    };
    await this.sites.put(site);
    return ok(view(site, true));
  }

  /** A site by its public key (anything not shaped like one is no site). */
  async byKey(key: string): Promise<SiteRecord | undefined> {
    return SITE_KEY_PATTERN.test(key) ? this.sites.byKey(key) : undefined;
  }

  async list(owner: UserRecord): Promise<SiteView[]> {
    return (await this.sites.ofOwner(owner.id)).map((site) => view(site));
  }

  async update(owner: UserRecord, key: string, change: Partial<SiteSettings>): Promise<Outcome<SiteView, SiteError>> {
    const site = await this.owned(owner, key);
    if (!site) return refuse('not_found');
    const updated = { ...site, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as SiteRecord;
    await this.sites.put(updated);
    if (change.name !== undefined && change.name !== site.name) await this.refreshVisitorConversations(updated);
    return ok(view(updated));
  }

  async rotateSecret(owner: UserRecord, key: string): Promise<Outcome<SiteView, SiteError>> {
    const site = await this.owned(owner, key);
    if (!site) return refuse('not_found');
    const updated = { ...site, secret: generateSecretToken() };
    await this.sites.put(updated);
    return ok(view(updated, true));
  }

  /** Teammates answer visitors: they join every visitor conversation of the site, and leave when removed. */
  async setTeam(owner: UserRecord, key: string, userIds: string[]): Promise<Outcome<SiteView, SiteError>> {
    const site = await this.owned(owner, key);
    if (!site) return refuse('not_found');
    const team = [...new Set(userIds)].filter((id) => id !== owner.id);
    for (const id of team) if (!(await this.friends.areFriends(owner.id, id))) return refuse('not_friends');
    const removed = site.team.filter((id) => !team.includes(id));
    const updated = { ...site, team };
    await this.sites.put(updated);
    const now = Date.now();
    for (const guestId of await this.sites.visitors(key)) {
      const conversationId = widgetConversationId(guestId);
      if (team.length > 0)
        await this.conversations.putMembers(conversationId, new Map(team.map((id) => [id, { role: 'admin' as const, joinedAt: now }])));
      if (removed.length > 0) {
        await this.conversations.removeMembers(conversationId, removed);
        for (const id of removed) {
          this.revoker.revoke({ kind: 'member-removed', conversationId, userId: id });
          await this.documents.removeFromList(id, conversationId);
        }
      }
      await this.documents.refresh(conversationId);
    }
    return ok(view(updated));
  }

  async remove(owner: UserRecord, key: string): Promise<Outcome<null, SiteError>> {
    const site = await this.owned(owner, key);
    if (!site) return refuse('not_found');
    await this.sites.remove(site);
    // Its visitors are cut off: no more tickets (their token names a site that is gone), and
    // out of their conversations, so an open chat closes and an unused ticket opens nothing.
    // The owner and team keep the conversations, as history.
    for (const guestId of await this.sites.visitors(key)) {
      const conversationId = widgetConversationId(guestId);
      await this.conversations.removeMembers(conversationId, [guestId]);
      this.revoker.revoke({ kind: 'member-removed', conversationId, userId: guestId });
    }
    return ok(null);
  }

  private async owned(owner: UserRecord, key: string): Promise<SiteRecord | undefined> {
    const site = await this.sites.byKey(key);
    return site && site.ownerId === owner.id ? site : undefined;
  }

  private async refreshVisitorConversations(site: SiteRecord): Promise<void> {
    for (const guestId of await this.sites.visitors(site.key)) {
      const conversationId = widgetConversationId(guestId);
      const conversation = await this.conversations.byId(conversationId);
      if (!conversation) continue;
      await this.conversations.update({ ...conversation, title: site.name });
      await this.documents.refresh(conversationId);
    }
  }
}
