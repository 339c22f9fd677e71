-- Devices that receive pushes (store/push-subscriptions.ts, postgres-push-subscriptions.ts).
-- The id is a hash of the endpoint and the primary key: one device, one record, one owner.
CREATE TABLE push_subscriptions (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL,
  session_id text NOT NULL,
  endpoint text NOT NULL,
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at bigint NOT NULL
);

CREATE INDEX push_subscriptions_of_user ON push_subscriptions (user_id);
