-- The search index's postings in runs (search/postgres-message-index.ts; issue 11, session 12): one row per term and
-- group of up to 64 messages written together, keyed `term!time!run` (the group's newest time, 16 digits, and an id of
-- its own), whose value lists the group's postings of the term as `time!conversationId!messageId` joined by `;`: the
-- layout LevelDB keeps (search/newest-postings.ts), read by the same reader. A row per posting cost two WAL records
-- (heap and key) of which half were headers, and a speculative insert: runs take about half the postings' WAL on chat
-- (docs/SCALING.md, "What a posting costs to write"). Each record names its run (`time!run`), so an edit or a delete
-- finds its postings.
CREATE TABLE search_runs (
  key text COLLATE "C" PRIMARY KEY,
  postings text NOT NULL
);

ALTER TABLE search_messages ADD COLUMN run text COLLATE "C";

-- The stored postings, grouped as the index writes them: records in time order, 64 a run. Their runs are named 'm'
-- and a number, apart from the ones written later (a writer's random prefix and a count).
WITH numbered AS (
  SELECT conversation_id, message_id,
         (row_number() OVER (ORDER BY created_at, conversation_id, message_id) - 1) / 64 AS run_number
  FROM search_messages
), runs AS (
  SELECT conversation_id, message_id,
         lpad((max(m.created_at) OVER (PARTITION BY run_number))::text, 16, '0') || '!m' || run_number AS run
  FROM numbered JOIN search_messages m USING (conversation_id, message_id)
)
UPDATE search_messages m SET run = runs.run
FROM runs WHERE m.conversation_id = runs.conversation_id AND m.message_id = runs.message_id;

INSERT INTO search_runs (key, postings)
SELECT t.term || '!' || m.run,
       string_agg(lpad(t.created_at::text, 16, '0') || '!' || t.conversation_id || '!' || t.message_id, ';'
                  ORDER BY t.created_at, t.conversation_id, t.message_id)
FROM search_terms t JOIN search_messages m ON m.conversation_id = t.conversation_id AND m.message_id = t.message_id
GROUP BY t.term, m.run;

DROP TABLE search_terms;
