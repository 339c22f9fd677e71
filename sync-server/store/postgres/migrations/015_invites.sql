-- Group invite links (store/invites.ts, postgres-invites.ts), by the SHA-256 of their code.
-- uses is counted by one UPDATE that also checks one is left, so parallel joins on any relays never overrun max_uses.
CREATE TABLE invites (
  id text COLLATE "C" PRIMARY KEY,
  conversation_id text COLLATE "C" NOT NULL,
  created_by text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  max_uses integer NOT NULL,
  uses integer NOT NULL DEFAULT 0,
  revoked boolean NOT NULL DEFAULT false
);

CREATE INDEX invites_of_conversation ON invites (conversation_id);
