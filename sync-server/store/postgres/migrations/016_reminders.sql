-- Reminders the robot promised (store/reminders.ts, postgres-reminders.ts; robot/reminders.ts delivers them).
-- A relay claims due ones with FOR UPDATE SKIP LOCKED and claimed_until (times in ms on the relays' clocks):
-- relays due at once take different reminders; a claim left by a crashed relay expires and another delivers.
CREATE TABLE reminders (
  id text COLLATE "C" PRIMARY KEY,
  conversation_id text NOT NULL,
  user_id text NOT NULL,
  text text NOT NULL,
  due_at bigint NOT NULL,
  claimed_until bigint
);

CREATE INDEX reminders_due ON reminders (due_at);
