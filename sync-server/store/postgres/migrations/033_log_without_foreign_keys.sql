-- The document log's rows without foreign keys to `doc` (issue 11, session 11; docs/SCALING.md, "What an append costs").
-- Every log row and client owner is inserted by a statement that has just moved (so locked) its `doc` row under the
-- fence (the group append joins the UPDATE's result; compaction locks the row first), copy-to-postgres writes the
-- `doc` row first, and no `doc` row is ever deleted: the keys never refused anything. Each inserted row still paid a
-- check (a trigger's query per row, and a KEY SHARE lock on the `doc` row, one WAL record per batch): about 15 µs of
-- PostgreSQL's CPU per group commit, a commit per message on a quiet relay.
ALTER TABLE doc_update DROP CONSTRAINT IF EXISTS doc_update_name_fkey;
ALTER TABLE doc_client_owner DROP CONSTRAINT IF EXISTS doc_client_owner_name_fkey;
