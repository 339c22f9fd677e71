-- Shared conversation heads (participants/head-table.ts, docs/PROTOCOL.md "Shared conversation heads";
-- HEADS_SHARED): one row per conversation, written by the relay that owns the conversation, read by
-- every relay for its members' catch-up. `rev` comes from one sequence for the whole cluster, so it only
-- grows, whichever relay writes (a client's `since` is the highest rev it holds, across conversations);
-- gaps (a rolled-back write) are harmless: rev orders heads, it does not count them.
CREATE SEQUENCE shared_head_rev;

CREATE TABLE shared_heads (
  conversation_id text COLLATE "C" PRIMARY KEY,
  rev bigint NOT NULL,
  head jsonb NOT NULL,
  -- The database's clock when the row was written: a catch-up also sends the heads written in the last
  -- seconds whatever their rev (one numbered earlier may commit, and be published, after a later one).
  written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
