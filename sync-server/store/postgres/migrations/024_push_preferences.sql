-- Notification choices, badge counts and the mail digest's records (store/push-preferences.ts,
-- store/badge-counts.ts, store/digest-records.ts): shared by every relay, so a mute set through
-- one relay holds on all, and a person's badge and digest are counted once.
CREATE TABLE push_settings (
  user_id text COLLATE "C" PRIMARY KEY,
  show_content boolean NOT NULL,
  -- NULL: no mail digest.
  digest_after_minutes integer,
  -- NULL in settings stored before it: English.
  locale text
);

CREATE INDEX push_settings_with_digest ON push_settings (user_id) WHERE digest_after_minutes IS NOT NULL;

CREATE TABLE push_mutes (
  user_id text COLLATE "C" NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (user_id, conversation_id)
);

CREATE TABLE push_badge_counts (
  user_id text COLLATE "C" NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  count integer NOT NULL CHECK (count > 0),
  PRIMARY KEY (user_id, conversation_id)
);

-- One person's waiting digest, kept whole (since, and a line per conversation).
CREATE TABLE push_digests (
  user_id text COLLATE "C" PRIMARY KEY,
  since bigint NOT NULL,
  record jsonb NOT NULL
);
