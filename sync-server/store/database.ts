/**
 * The embedded store: one LevelDB in DATA_DIR, split into sublevels whose
 * keys are designed for range reads (`convId!userId`, `docName!clock`).
 */
import { Level } from 'level';
import path from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import type { ConversationKind, MemberRole } from '../../shared/schema.js';
import type { VisitorIdentity } from '../../shared/widget.js';
import type { BlobRecord } from '../blobs/blob-store.js';
import { consoleLogger, type Logger } from '../config.js';
import { DocMarks } from './doc-marks.js';
import { StoreHealth } from './store-health.js';
import { guardWrites } from './write-guard.js';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  passwordHash: string;
  activated: boolean;
  createdAt: number;
  bio?: string;
  location?: string;
  /** URL of the avatar picture. */
  avatar?: string;
  /** Set for a widget visitor: the key of the site they came from. Guests cannot sign in. */
  guestOf?: string;
  /** What the host site told us about a visitor (`setUser`), verified or not. */
  visitor?: VisitorIdentity;
  /** A visitor the site owner blocked: their token no longer works. */
  revoked?: boolean;
  /** When the account was last moved back to an address it had left: email-change links issued before then no longer work. */
  emailRevertedAt?: number;
  /** A deleted account's tombstone (accounts/account-deletion.ts): nothing else of it is kept, and nothing opens it. */
  deletedAt?: number;
}

export interface SiteRecord {
  key: string;
  ownerId: string;
  name: string;
  origins: string[];
  greeting: string;
  color: string;
  position: 'right' | 'left';
  /** For verifying visitors' identity hashes (HMAC-SHA256 of their id). */
  secret: string;
  /** Friends of the owner who also answer visitors. */
  team: string[];
  createdAt: number;
}

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: number;
  /** Hex SHA-256 of the token's secret (`<id>.<secret>`); absent on a session from before that format (auth/session.ts). */
  secretHash?: string;
  /** For a re-issued old-format session: until when its old token is still accepted. */
  legacyUntil?: number;
  /** When the person signed in (absent on sessions from before account settings, issue 15). */
  createdAt?: number;
  /** When the session last brought a request, to within SESSION_LAST_USE_STEP_MS (auth/session.ts). */
  lastUsedAt?: number;
  /** What the person signed in with, as shown in their list of sessions ("Chrome on Windows"); from the User-Agent. */
  device?: string;
}

/** 'email-revert': mailed to the address an account left; using it moves the account back (account settings). */
export type TokenPurpose = 'activation' | 'password-reset' | 'email-change' | 'email-revert';

export interface TokenRecord {
  userId: string;
  purpose: TokenPurpose;
  expiresAt: number;
  /** For 'email-change': the new address the token was mailed to, which using it sets; for 'email-revert', the old address it restores. */
  email?: string;
}

export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  createdAt: number;
  /** For direct conversations: the two members, sorted. */
  pair?: [string, string];
  /** Groups: name, notice and picture, set by the owner or an admin. */
  title?: string;
  notice?: string;
  avatar?: string;
  /** Groups: only the owner and admins pin and unpin messages (shared/pin-rights.ts); absent: any member. */
  pinsByAdmins?: boolean;
  createdBy?: string;
  /** Groups: when the owner disbanded it. It has no members, and nobody can join it again. */
  disbandedAt?: number;
  /**
   * Groups: when an owner or admin last removed each person (issue 15). Invite
   * links made before that time do not let them back in; a newer link, or
   * being added again, does.
   */
  removedAt?: Record<string, number>;
  /**
   * Widgets: set while the visitor has written nothing (issue 15). The site's
   * people do not see the conversation in their lists until then: a visitor
   * who only opens the bubble is nobody's business.
   */
  hiddenUntilWritten?: boolean;
}

/** One side of a friendship (`userId!friendId`); the remark is private to `userId`. */
export interface FriendRecord {
  since: number;
  remark?: string;
}

export interface FriendRequestRecord {
  id: string;
  from: string;
  to: string;
  note: string;
  createdAt: number;
}

export interface BlockRecord {
  since: number;
}

export interface InviteRecord {
  /** The code's hash is the key; the code itself is only in the link. */
  id: string;
  conversationId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  /** 0 = unlimited. */
  maxUses: number;
  uses: number;
  revoked: boolean;
}

export interface ReminderRecord {
  id: string;
  conversationId: string;
  userId: string;
  text: string;
  dueAt: number;
}

export interface MembershipRecord {
  role: MemberRole;
  joinedAt: number;
}

/** What the store needs of any sublevel: to open it again after a reopen, and to read it whole (store-check.ts). */
export interface StoreSublevel {
  /** The sublevel's name(s) from the root, e.g. `['docs']`. */
  path(): string[];
  open(): Promise<void>;
  iterator(): AsyncIterable<[unknown, unknown]>;
}

/** Separator of composite keys (keys.ts). */
export { KEY_SEPARATOR } from './keys.js';

export interface DatabaseOptions {
  log?: Logger;
  /** Free bytes needed in DATA_DIR before a store that failed to write is reopened (store-health.ts). */
  minFreeBytes?: number;
}

/** Enough for LevelDB to turn its log into a table and compact a little after a reopen. */
export const DEFAULT_STORE_MIN_FREE_BYTES = 64 * 1024 * 1024;

export class Database {
  readonly root: Level<string, unknown>;
  readonly users;
  readonly emails;
  /** `lowercase name!userId` → user id, for search by name prefix. */
  readonly names;
  readonly sessions;
  /** `userId!sessionId`: every session of a person (to end them all on a password reset). */
  readonly userSessions;
  readonly tokens;
  readonly convs;
  readonly members;
  readonly memberOf;
  readonly docs;
  /** `docName!clientId` → user id: who writes a document under each Yjs client id (relay/trust/client-owners.ts). */
  readonly clientOwners;
  readonly friends;
  readonly requests;
  /** `userId!requestId` for both people of each pending request. */
  readonly requestsOf;
  /** `from!to` → request id: one pending request per direction. */
  readonly requestPairs;
  readonly blocks;
  readonly invites;
  /** `conversationId!inviteId` for listing a group's invites. */
  readonly invitesOf;
  readonly blobs;
  readonly sites;
  /** `ownerId!siteKey`. */
  readonly sitesOf;
  /** hash of a visitor's token → their guest user id. */
  readonly guestTokens;
  /** `siteKey!guestId`: a site's visitors. */
  readonly siteVisitors;
  /** `blobId!conversationId`: which conversations a picture was sent to (who may fetch it). */
  readonly blobRefs;
  /** `<zero-padded dueAt>!<id>` → reminder, so the next due ones are the first keys. */
  readonly reminders;
  /** `probe` (the write that proves a reopened store works) and other bookkeeping of the store itself. */
  readonly meta;
  /** Whether the store takes writes; reopens it after a storage failure. */
  readonly health: StoreHealth;
  /** How far each document's log was acknowledged, kept outside LevelDB for the store check. */
  readonly marks: DocMarks;
  /** What LevelDB reported while opening: log records it dropped as damaged (store-check.ts). */
  readonly openWarnings: string[];

  /** Every sublevel made on the root (they close with it and are opened again after a reopen). */
  readonly sublevels: StoreSublevel[] = [];

  private constructor(root: Level<string, unknown>, location: string, marks: DocMarks, openWarnings: string[], options: DatabaseOptions) {
    this.root = root;
    this.marks = marks;
    this.openWarnings = openWarnings;
    root.hooks.newsub.add((sublevel) => void this.sublevels.push(sublevel));
    this.users = root.sublevel<string, UserRecord>('users', { valueEncoding: 'json' });
    this.emails = root.sublevel<string, string>('emails', { valueEncoding: 'json' });
    this.names = root.sublevel<string, string>('names', { valueEncoding: 'json' });
    this.sessions = root.sublevel<string, SessionRecord>('sessions', { valueEncoding: 'json' });
    this.userSessions = root.sublevel<string, true>('userSessions', { valueEncoding: 'json' });
    this.tokens = root.sublevel<string, TokenRecord>('tokens', { valueEncoding: 'json' });
    this.convs = root.sublevel<string, ConversationRecord>('convs', { valueEncoding: 'json' });
    this.members = root.sublevel<string, MembershipRecord>('members', { valueEncoding: 'json' });
    this.memberOf = root.sublevel<string, MembershipRecord>('memberOf', { valueEncoding: 'json' });
    this.docs = root.sublevel<string, Uint8Array>('docs', { valueEncoding: 'view' });
    this.clientOwners = root.sublevel<string, string>('clientOwners', { valueEncoding: 'json' });
    this.friends = root.sublevel<string, FriendRecord>('friends', { valueEncoding: 'json' });
    this.requests = root.sublevel<string, FriendRequestRecord>('requests', { valueEncoding: 'json' });
    this.requestsOf = root.sublevel<string, true>('requestsOf', { valueEncoding: 'json' });
    this.requestPairs = root.sublevel<string, string>('requestPairs', { valueEncoding: 'json' });
    this.blocks = root.sublevel<string, BlockRecord>('blocks', { valueEncoding: 'json' });
    this.invites = root.sublevel<string, InviteRecord>('invites', { valueEncoding: 'json' });
    this.invitesOf = root.sublevel<string, true>('invitesOf', { valueEncoding: 'json' });
    this.blobs = root.sublevel<string, BlobRecord>('blobs', { valueEncoding: 'json' });
    this.sites = root.sublevel<string, SiteRecord>('sites', { valueEncoding: 'json' });
    this.sitesOf = root.sublevel<string, true>('sitesOf', { valueEncoding: 'json' });
    this.guestTokens = root.sublevel<string, string>('guestTokens', { valueEncoding: 'json' });
    this.siteVisitors = root.sublevel<string, true>('siteVisitors', { valueEncoding: 'json' });
    this.blobRefs = root.sublevel<string, true>('blobRefs', { valueEncoding: 'json' });
    this.reminders = root.sublevel<string, ReminderRecord>('reminders', { valueEncoding: 'json' });
    this.meta = root.sublevel<string, unknown>('meta', { valueEncoding: 'json' });
    this.health = new StoreHealth({
      location,
      minFreeBytes: options.minFreeBytes ?? DEFAULT_STORE_MIN_FREE_BYTES,
      log: options.log ?? consoleLogger,
      reopen: () => this.reopen(),
    });
    guardWrites(root, this.health);
  }

  /** Closes and opens the store again (recovery from a storage failure) and proves it takes a write. */
  private async reopen(): Promise<void> {
    await this.root.close();
    await this.root.open();
    await Promise.all(this.sublevels.map((sublevel) => sublevel.open()));
    await this.meta.put('probe', Date.now());
  }

  /** Opens (creating if needed) the store in `${dataDir}/db`. */
  static async open(dataDir: string, options: DatabaseOptions = {}): Promise<Database> {
    const location = path.join(dataDir, 'db');
    await mkdir(location, { recursive: true });
    const root = new Level<string, unknown>(location, { valueEncoding: 'json' });
    try {
      await root.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        throw new Error(`Another Happy Chat is using DATA_DIR (${dataDir}); stop it or choose another DATA_DIR.`);
      }
      throw error;
    }
    const marks = await DocMarks.load(dataDir, options.log ?? consoleLogger);
    return new Database(root, location, marks, await levelDbOpenWarnings(location), options);
  }

  async close(): Promise<void> {
    this.health.stop();
    await this.marks.close();
    await this.root.close();
  }
}

/**
 * LevelDB replays its `.log` at open and skips, without failing, records it
 * cannot read ("dropping N bytes" in its own `LOG` file, which each open
 * starts afresh); those lines are the only trace of writes lost that way.
 */
async function levelDbOpenWarnings(location: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path.join(location, 'LOG'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => /corruption|dropping/i.test(line))
    .map((line) => line.trim());
}
