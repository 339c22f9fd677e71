/**
 * Every reason the relay refuses a member's update or presence, in one place:
 * the rule names (one per row of docs/SECURITY.md's rules table, which a test
 * holds to this file), the refusal value the checks return, and the close
 * code and reason a refusal is sent with. The shared rules, the relay's
 * scanner, validator and guards and the client all name refusals with these.
 * Pure: no node:*, no DOM.
 */
import { CloseCode } from './protocol.js';

/** What a message may hold and who may change it (message-rules.ts). */
export const MESSAGE_RULES = [
  'forged-author',
  'not-your-message',
  'message-id',
  'system-kind',
  'message-too-long',
  'bad-time',
  'bad-message',
  'bad-attachment',
] as const;

/** Who may write which entry of which root (write-rules.ts). */
export const ENTRY_RULES = [
  'server-only',
  'not-your-key',
  'bad-read-marker',
  'read-marker-lowered',
  'bad-reaction',
  'bad-pin',
  'forged-pinner',
  'pins-admins-only',
  'bad-list-state',
  'unknown-root',
] as const;

/** The byte layout of an update, walked before Yjs decodes it (sync-server/relay/trust/update-scanner.ts). */
export const SCAN_RULES = [
  'update-too-large',
  'too-many-structs',
  'too-many-deletes',
  'clock-out-of-range',
  'content-type',
  'nested-type',
  'malformed-update',
] as const;

/** What the relay's validator checks beyond the entry rules: ids, placement, waiting updates (sync-server/relay/trust/). */
export const UPDATE_RULES = [
  'message-id-reused',
  'not-a-map-entry',
  'foreign-client-id',
  'too-many-client-ids',
  'too-many-waiting',
] as const;

/** Presence (sync-server/relay/trust/awareness-guard.ts); the client-id rules are shared with updates. */
export const AWARENESS_RULES = ['foreign-client-id', 'awareness-too-large', 'too-many-client-ids', 'malformed-awareness'] as const;

/** Budgets: a person's write quota, a conversation's or other document's size (sync-server/relay/write-quota.ts). Sent with 4413. */
export const QUOTA_RULES = ['write-quota', 'conversation-full', 'document-full'] as const;

/** Rates judged per person over their connections (sync-server/relay/presence-limits.ts). Sent with 4429. */
export const RATE_RULES = ['presence-rate'] as const;

export type MessageRule = (typeof MESSAGE_RULES)[number];
export type EntryRule = (typeof ENTRY_RULES)[number];
export type ScanRule = (typeof SCAN_RULES)[number];
export type UpdateRule = (typeof UPDATE_RULES)[number];
export type AwarenessRule = (typeof AWARENESS_RULES)[number];
export type QuotaRule = (typeof QUOTA_RULES)[number];
export type RateRule = (typeof RATE_RULES)[number];

/** Any rule a refusal names: the `<rule>` of the close reason. */
export type RefusalRule = MessageRule | EntryRule | ScanRule | UpdateRule | AwarenessRule | QuotaRule | RateRule;

/** Every rule, each once. */
export const REFUSAL_RULES: ReadonlySet<RefusalRule> = new Set<RefusalRule>([
  ...MESSAGE_RULES,
  ...ENTRY_RULES,
  ...SCAN_RULES,
  ...UPDATE_RULES,
  ...AWARENESS_RULES,
  ...QUOTA_RULES,
  ...RATE_RULES,
]);

/** Why a write is refused: a stable rule name (sent in the close reason) and a human detail for the log. */
export interface Refusal<R extends RefusalRule = RefusalRule> {
  rule: R;
  detail?: string;
}

const QUOTA: ReadonlySet<string> = new Set(QUOTA_RULES);
const RATE: ReadonlySet<string> = new Set(RATE_RULES);
const REFUSED_PREFIX = 'refused: ';

/**
 * How the relay closes a connection it refuses: 4400 `refused: <rule>` for a
 * broken rule; 4413 or 4429 with the bare rule for a budget or rate passed
 * (the device keeps its change and waits; docs/PROTOCOL.md).
 */
export function refusalClose(rule: RefusalRule): { code: number; reason: string } {
  if (QUOTA.has(rule)) return { code: CloseCode.quotaExceeded, reason: rule };
  if (RATE.has(rule)) return { code: CloseCode.rateLimited, reason: rule };
  return { code: CloseCode.invalidUpdate, reason: `${REFUSED_PREFIX}${rule}` };
}

/** The rule a 4400 close reason names (`refused: <rule>`), or null for any other reason. */
export function refusedRule(reason: string): RefusalRule | null {
  if (!reason.startsWith(REFUSED_PREFIX)) return null;
  const rule = reason.slice(REFUSED_PREFIX.length);
  return isRefusalRule(rule) ? rule : null;
}

/** Whether `name` is one of our rules. */
export function isRefusalRule(name: string): name is RefusalRule {
  return (REFUSAL_RULES as ReadonlySet<string>).has(name);
}
