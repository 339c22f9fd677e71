/**
 * Which of my conversations are muted (issue 15). The server's push
 * preference store decides notifications and stays the source of truth
 * (`/api/push/settings`, `/api/conversations/:id/mute`, docs/PUSH.md); this
 * device keeps a copy of what it last said in localStorage, per person, so
 * the list's muted mark, the title's count and the header's button are right
 * offline too. A mute or unmute applies here at once and waits on the device
 * until the server takes it (it used to fail offline: the server is not a
 * Yjs document that syncs later by itself): it is sent now, and again when
 * the copy is refreshed, which happens when the session starts, when my user
 * document reconnects, and when the page becomes visible again (a mute set
 * on another device shows up then: one small GET, no push channel needed).
 */
import type { PushSettings } from '../../../shared/push-api.js';
import type { ApiResult } from '../api/api-client.js';
import { push } from '../api/push-client.js';
import type { KeyValueStorage } from '../key-value-storage.js';
import type { ChatSession } from '../session/chat-session.js';

/** The part of the push API this needs (PushClient). */
export interface MuteApi {
  settings(): Promise<ApiResult<PushSettings>>;
  setMuted(conversationId: string, muted: boolean): Promise<ApiResult<{ muted: boolean }>>;
}

const storageKey = (userId: string) => `hc:muted:${userId}`;
const unsentKey = (userId: string) => `hc:muted-unsent:${userId}`;

/** No answer (offline), too many requests, or the server failing: the change waits and goes again later. */
const isTransient = (status: number) => status === 0 || status === 429 || status >= 500;

export class MutedConversations extends EventTarget {
  /** What the server last said (and the changes it took since). */
  private muted: Set<string> | undefined;
  /** Changes made here that the server has not taken yet, by conversation: they win over `muted`. */
  private readonly unsent: Map<string, boolean>;
  /** Why the server refused a change, kept for the `set` that made it. */
  private readonly refusals = new Map<string, string>();
  /** Sends run one after the other, in order. */
  private sending: Promise<void> = Promise.resolve();
  /** Counts changes made here: a refresh that started before one answers with what it undid. */
  private changes = 0;

  constructor(
    private readonly userId: string,
    private readonly api: MuteApi,
    private readonly storage: KeyValueStorage,
  ) {
    super();
    this.muted = readCopy(storage.getItem(storageKey(userId)));
    this.unsent = readUnsent(storage.getItem(unsentKey(userId)));
  }

  /** Whether anything is known yet (the server answered once on this device). */
  get known(): boolean {
    return this.muted !== undefined;
  }

  /** Whether the conversation is muted: as changed here, else as last heard from the server. */
  has(conversationId: string): boolean {
    return this.unsent.get(conversationId) ?? this.muted?.has(conversationId) ?? false;
  }

  /** How many changes wait for the server. */
  get unsentCount(): number {
    return this.unsent.size;
  }

  /** Sends what waits, then asks the server again; keeps the copy when it cannot answer (offline). */
  async refresh(): Promise<void> {
    await this.flush();
    const changesBefore = this.changes;
    const settings = await this.api.settings();
    if (settings.ok && this.changes === changesBefore) this.replace(new Set(settings.value.muted));
  }

  /**
   * Mutes or unmutes here at once, and at the server now or when it can be
   * reached. Resolves with the server's refusal (the change is undone here),
   * or null when the server took it or it waits to be sent.
   */
  async set(conversationId: string, muted: boolean): Promise<string | null> {
    this.changes++;
    this.refusals.delete(conversationId);
    this.unsent.set(conversationId, muted);
    this.saveUnsent();
    this.dispatchEvent(new Event('change'));
    await this.flush();
    const refusal = this.refusals.get(conversationId) ?? null;
    this.refusals.delete(conversationId);
    return refusal;
  }

  /** Sends the waiting changes, after any send already running. */
  private flush(): Promise<void> {
    this.sending = this.sending.then(() => this.sendUnsent());
    return this.sending;
  }

  private async sendUnsent(): Promise<void> {
    // Bounded: each turn takes a change off or sends one changed again meanwhile; what is left goes with the next flush (each set makes one).
    const turns = 2 * this.unsent.size;
    for (let turn = 0; turn < turns && this.unsent.size > 0; turn++) {
      const [conversationId, wanted] = this.unsent.entries().next().value as [string, boolean];
      const result = await this.api.setMuted(conversationId, wanted);
      if (!result.ok && isTransient(result.status)) return;
      // Changed again while this one was on its way: the newer one goes next.
      if (this.unsent.get(conversationId) !== wanted) continue;
      this.unsent.delete(conversationId);
      this.saveUnsent();
      if (result.ok) {
        const next = new Set(this.muted);
        if (result.value.muted) next.add(conversationId);
        else next.delete(conversationId);
        this.replace(next);
      } else {
        // Refused (no longer a member, say): the server's state stands.
        this.refusals.set(conversationId, result.error.message);
        this.dispatchEvent(new Event('change'));
      }
    }
  }

  private replace(next: Set<string>): void {
    const same = this.muted !== undefined && this.muted.size === next.size && [...next].every((id) => this.muted?.has(id));
    this.muted = next;
    this.storage.setItem(storageKey(this.userId), JSON.stringify([...next]));
    if (!same) this.dispatchEvent(new Event('change'));
  }

  private saveUnsent(): void {
    if (this.unsent.size === 0) this.storage.removeItem(unsentKey(this.userId));
    else this.storage.setItem(unsentKey(this.userId), JSON.stringify([...this.unsent]));
  }
}

function readCopy(text: string | null): Set<string> | undefined {
  if (text === null) return undefined;
  try {
    const ids: unknown = JSON.parse(text);
    return Array.isArray(ids) ? new Set(ids.filter((id): id is string => typeof id === 'string')) : undefined;
  } catch {
    // A copy this code did not write: ask the server again.
    return undefined;
  }
}

function readUnsent(text: string | null): Map<string, boolean> {
  const unsent = new Map<string, boolean>();
  try {
    const entries: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(entries)) return unsent;
    for (const entry of entries) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'boolean') unsent.set(entry[0], entry[1]);
    }
  } catch {
    // Not written by this code: nothing waits.
  }
  return unsent;
}

const books = new WeakMap<ChatSession, MutedConversations>();

/** The session's muted conversations, made (and first refreshed) on first use. */
export function mutedOf(session: ChatSession): MutedConversations {
  let muted = books.get(session);
  if (muted) return muted;
  const created = new MutedConversations(session.me.id, push, localStorage);
  books.set(session, (muted = created));
  let wasSynced = session.userDoc.state.synced;
  const onConnection = () => {
    const synced = session.userDoc.state.synced;
    if (synced && !wasSynced) void created.refresh();
    wasSynced = synced;
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') void created.refresh();
  };
  session.userDoc.addEventListener('change', onConnection);
  document.addEventListener('visibilitychange', onVisible);
  session.onClose(() => {
    session.userDoc.removeEventListener('change', onConnection);
    document.removeEventListener('visibilitychange', onVisible);
  });
  void created.refresh();
  return muted;
}
