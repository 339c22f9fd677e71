-- People's accounts (store/users.ts, postgres-users.ts). The record is kept whole as jsonb;
-- the columns beside it are what the store looks up by. Ids and names compare as code points (COLLATE "C"),
-- as LevelDB's keys do, so a name prefix is one index range in every script.
CREATE TABLE users (
  id text COLLATE "C" PRIMARY KEY,
  email text NOT NULL,
  name_lower text COLLATE "C" NOT NULL,
  activated boolean NOT NULL,
  record jsonb NOT NULL
);

-- One account per email, decided by PostgreSQL even for two registrations at the same moment.
-- Emails arrive normalized (shared/api.ts); the index normalizes again so a missed trim cannot make a twin.
-- Widget visitors have no email ('') and claim none.
CREATE UNIQUE INDEX users_email_unique ON users (lower(btrim(email))) WHERE email <> '';

CREATE INDEX users_name_prefix ON users (name_lower, id) WHERE activated;
