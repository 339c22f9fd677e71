/**
 * What the mail digest keeps per person until it mails (push/unread-digest.ts
 * holds the rules): since when messages wait, and per conversation how many
 * and from whom. Messages of one person arrive in conversations owned by
 * different relays, so a change to a person's record is one atomic step of
 * the store (`update`), and a due record is taken away by exactly one relay
 * (`take`) before it is mailed. `LevelDigestRecordStore`
 * (level-digest-records.ts) is the embedded one, `PostgresDigestRecordStore`
 * (postgres/postgres-digest-records.ts) the cluster's; both pass
 * digest-records.contract.ts.
 */

export interface DigestLine {
  /** The conversation as the person sees it (a group's name, or the other person's). */
  title: string;
  count: number;
  /** Who wrote the unread messages (a few names). */
  from: string[];
}

export interface DigestRecord {
  /** When the oldest message still waiting became unread. */
  since: number;
  conversations: Record<string, DigestLine>;
}

export interface DigestRecordStore {
  /**
   * Reads the person's record, gives it to `change` and stores what it
   * returns (undefined removes it), with no other change to that person's
   * record in between, on any relay.
   */
  update(userId: string, change: (record: DigestRecord | undefined) => DigestRecord | undefined): Promise<void>;
  /** Everyone with a record, and since when. */
  waiting(): Promise<Array<{ userId: string; since: number }>>;
  /** Removes the person's record and returns it; of relays taking it at once, one gets it. */
  take(userId: string): Promise<DigestRecord | undefined>;
}
