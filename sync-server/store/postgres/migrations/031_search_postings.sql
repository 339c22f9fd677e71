-- The search index's postings (search/postgres-message-index.ts, issue 18): one row per term of a message,
-- keyed by term and time, so a query reads one term's newest postings backwards in the primary key and stops
-- at a page of hits (LIMIT pushed into the index scan), keeping only the asker's conversations as it goes
-- (conversation_id = ANY(...), checked in the index tuple). The GIN index over the conversation lexemes
-- read every posting of every one of the asker's conversations (500 of them: seconds at 1,000,000 messages),
-- then fetched and sorted every match; it goes, with the tsvector it indexed.
CREATE TABLE search_terms (
  term text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  message_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (term, created_at, conversation_id, message_id)
);

INSERT INTO search_terms (term, created_at, conversation_id, message_id)
SELECT DISTINCT term, created_at, conversation_id, message_id FROM search_messages, unnest(terms) AS term;

DROP INDEX search_messages_lexemes;
ALTER TABLE search_messages DROP COLUMN lexemes;
