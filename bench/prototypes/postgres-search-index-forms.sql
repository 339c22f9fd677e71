-- Prototype for issue 11 (session 12): the WAL other forms of the PostgreSQL search index's postings would take for the
-- same messages, counted. Run after bench/prototypes/postgres-search-index-cost.ts (default arguments), whose schema
-- `cost` in the database `search_index_cost` it reads: the postings and records it wrote are written again, batch by
-- batch (60 messages, 1,200 ms of their times, each batch its own transaction), into tables of each form:
--   f_runs_text   one row per term and batch, its postings as one text value `time!conversation!message;...`;
--   f_runs_arr    the same with the postings as three arrays;
--   f_narrow      one row per posting as now, the ids as integers (a conversation's hash, a message number);
--   f_gin_msgs    no postings: the records with a GIN index over their `terms` (fastupdate on, then a VACUUM);
--   f_plain_msgs  the records alone, to subtract from f_gin_msgs.
-- Then the WAL each table and key took per message (pg_walinspect, this database's blocks only) and its size.
-- psql -h 127.0.0.1 -U postgres search_index_cost -f bench/prototypes/postgres-search-index-forms.sql
\set ON_ERROR_STOP 1
SET search_path TO cost;
DROP TABLE IF EXISTS f_runs_text, f_runs_arr, f_narrow, f_gin_msgs, f_plain_msgs;
CREATE TABLE f_runs_text (term text COLLATE "C" NOT NULL, newest bigint NOT NULL, run bigint NOT NULL, postings text NOT NULL, PRIMARY KEY (term, newest, run));
CREATE TABLE f_runs_arr (term text COLLATE "C" NOT NULL, newest bigint NOT NULL, run bigint NOT NULL, times bigint[] NOT NULL, convs text[] NOT NULL, ids text[] NOT NULL, PRIMARY KEY (term, newest, run));
CREATE TABLE f_narrow (term text COLLATE "C" NOT NULL, created_at bigint NOT NULL, conv int NOT NULL, msg bigint NOT NULL, PRIMARY KEY (term, created_at, conv, msg));
CREATE TABLE f_gin_msgs (LIKE search_messages INCLUDING ALL);
CREATE INDEX ON f_gin_msgs USING gin (terms);
CREATE TABLE f_plain_msgs (LIKE search_messages INCLUDING ALL);
CREATE TEMP TABLE batches AS SELECT (created_at - 1796601600000) / 1200 AS b, * FROM search_terms;
CREATE TEMP TABLE mb AS SELECT (created_at - 1796601600000) / 1200 AS b, * FROM search_messages;
SELECT min(b), max(b), count(*) FROM batches;
CREATE TEMP TABLE marks (form text, lsn pg_lsn);
CREATE OR REPLACE PROCEDURE pg_temp.run_form(form text) LANGUAGE plpgsql AS $$
DECLARE i int;
BEGIN
  INSERT INTO marks VALUES (form || ' start', pg_current_wal_lsn()); COMMIT;
  FOR i IN 0..83 LOOP
    IF form = 'runs_text' THEN
      INSERT INTO f_runs_text SELECT term, max(created_at), i, string_agg(created_at || '!' || conversation_id || '!' || message_id, ';') FROM batches WHERE b = i GROUP BY term;
    ELSIF form = 'runs_arr' THEN
      INSERT INTO f_runs_arr SELECT term, max(created_at), i, array_agg(created_at), array_agg(conversation_id), array_agg(message_id) FROM batches WHERE b = i GROUP BY term;
    ELSIF form = 'narrow' THEN
      INSERT INTO f_narrow SELECT term, created_at, hashtext(conversation_id), created_at * 1000 + i FROM batches WHERE b = i;
    ELSIF form = 'gin' THEN
      INSERT INTO f_gin_msgs SELECT conversation_id, message_id, author, text, created_at, seq, terms FROM mb WHERE b = i;
    ELSIF form = 'plain_msgs' THEN
      INSERT INTO f_plain_msgs SELECT conversation_id, message_id, author, text, created_at, seq, terms FROM mb WHERE b = i;
    END IF;
    COMMIT;
  END LOOP;
  INSERT INTO marks VALUES (form || ' end', pg_current_wal_lsn()); COMMIT;
END $$;
CALL pg_temp.run_form('runs_text');
CALL pg_temp.run_form('runs_arr');
CALL pg_temp.run_form('narrow');
CALL pg_temp.run_form('gin');
CALL pg_temp.run_form('plain_msgs');
VACUUM f_gin_msgs;
INSERT INTO marks VALUES ('gin vacuumed', pg_current_wal_lsn());
SELECT pg_sleep(1); SELECT pg_switch_wal() IS NULL;
SELECT c.relname AS rel, sum(w.record_length) / 5000.0 AS bytes_per_message, count(*) / 5000.0 AS records_per_message
FROM public.pg_get_wal_records_info((SELECT lsn FROM marks WHERE form = 'runs_text start'), (SELECT lsn FROM marks WHERE form = 'gin vacuumed')) w
JOIN pg_class c ON w.block_ref LIKE '%rel 1663/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/' || c.relfilenode || ' %'
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cost'
WHERE c.relname LIKE 'f\_%'
GROUP BY 1 ORDER BY 1;
SELECT relname, pg_total_relation_size(c.oid) / 5000 AS bytes_per_message_stored FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'cost' WHERE relname LIKE 'f\_%' AND relkind = 'r' OR relname IN ('search_terms', 'search_messages') AND relkind = 'r' AND n.nspname = 'cost';
SELECT count(*) / 84.0 AS runs_per_batch FROM f_runs_arr;
