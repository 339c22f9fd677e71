-- Revocations (relay/revocation.ts) every relay re-reads, so that a sign-out or a removal cuts off the sockets other
-- relays hold within a second even while Redis, which normally carries them, is down (cluster/revocation-log.ts).
-- Short-lived: rows older than an hour are deleted. `revocation` holds the bus's own encoding (cluster/bus-channels.ts).
-- Relays read by time on PostgreSQL's clock, not by id: identity values can commit out of order.
CREATE TABLE revocations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  revocation bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX revocations_created_at ON revocations (created_at);
