-- The document log with fenced ownership (docs/SCALING.md, postgres-document-log.ts).

-- Each relay process, with a lease on PostgreSQL's clock: it owns its documents while lease_until > now().
CREATE TABLE relay_process (
  id text PRIMARY KEY,
  lease_until timestamptz NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now()
);

-- One row per Yjs document: who owns it, the fence (epoch, +1 at every claim), and the clock of its next log entry.
-- next_clock is moved only by the owner's append, in the transaction that stores the entries: never a SEQUENCE (gaps).
CREATE TABLE doc (
  name text PRIMARY KEY,
  owner text,
  epoch bigint NOT NULL DEFAULT 0,
  next_clock bigint NOT NULL DEFAULT 0
);

-- The log: one row per stored update (or one merged row after a compaction).
CREATE TABLE doc_update (
  name text NOT NULL REFERENCES doc (name),
  clock bigint NOT NULL,
  update bytea NOT NULL,
  PRIMARY KEY (name, clock)
);

-- Who writes the document under each Yjs client id (relay/trust/client-owners.ts).
CREATE TABLE doc_client_owner (
  name text NOT NULL REFERENCES doc (name),
  client_id bigint NOT NULL,
  user_id text NOT NULL,
  PRIMARY KEY (name, client_id)
);
