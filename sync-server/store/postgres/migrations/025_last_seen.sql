-- When each person was last seen and whether they hide it (store/last-seen.ts): shared by every
-- relay, because the relay that owns a person's user/<id> document writes it and any relay answers.
CREATE TABLE last_seen (
  user_id text COLLATE "C" PRIMARY KEY,
  online boolean NOT NULL,
  -- ms since the epoch; 0 for a person who chose to hide before they were ever seen.
  seen_at bigint NOT NULL,
  hidden boolean NOT NULL DEFAULT false
);
