-- Sessions (auth/session.ts, store/sessions.ts, postgres-sessions.ts). The browser holds `<id>.<secret>`;
-- this table holds only the SHA-256 of the secret (secret_hash), NULL for a session from before that format.
-- Times are milliseconds since 1970 on the relays' clocks, as in LevelDB: expiry is judged by the relay (auth/session.ts).
CREATE TABLE sessions (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL,
  expires_at bigint NOT NULL,
  secret_hash text,
  legacy_until bigint
);

CREATE INDEX sessions_of_user ON sessions (user_id);
