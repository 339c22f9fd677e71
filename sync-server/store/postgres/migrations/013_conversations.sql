-- Conversations and who belongs to them (store/conversations.ts, postgres-conversations.ts).
-- The conversation's record is kept whole as jsonb; memberships are rows, read both ways:
-- by conversation (the primary key) and by person (the second index). Ids compare as code points (COLLATE "C"),
-- so "a person's conversations whose id starts with g" is one index range.
CREATE TABLE conversations (
  id text COLLATE "C" PRIMARY KEY,
  record jsonb NOT NULL
);

CREATE TABLE memberships (
  conversation_id text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  role text NOT NULL,
  joined_at bigint NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);

CREATE INDEX memberships_of_user ON memberships (user_id, conversation_id);
