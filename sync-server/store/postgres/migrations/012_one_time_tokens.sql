-- Single-use tokens sent by mail (auth/one-time-tokens.ts, store/tokens.ts, postgres-tokens.ts), by the SHA-256 of the token.
CREATE TABLE one_time_tokens (
  hash text COLLATE "C" PRIMARY KEY,
  user_id text NOT NULL,
  purpose text NOT NULL,
  expires_at bigint NOT NULL
);
