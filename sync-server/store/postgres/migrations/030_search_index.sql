-- The server's search index in a cluster (search/postgres-message-index.ts): PostgreSQL full text.
-- Each message's terms are our own (shared/search-tokens.ts: words, and pairs of Chinese characters),
-- stored as the lexemes of a tsvector with array_to_tsvector, so PostgreSQL's parser never re-splits them
-- and Chinese works. The conversation is a lexeme too ('!c<id>': terms never hold '!'), so one GIN
-- index answers "these terms, in these conversations" in one query.
CREATE TABLE search_messages (
  conversation_id text COLLATE "C" NOT NULL,
  message_id text COLLATE "C" NOT NULL,
  author text NOT NULL,
  text text NOT NULL,
  created_at bigint NOT NULL,
  seq integer NOT NULL,
  terms text[] NOT NULL,
  lexemes tsvector NOT NULL,
  PRIMARY KEY (conversation_id, message_id)
);

CREATE INDEX search_messages_lexemes ON search_messages USING gin (lexemes);

-- Documents (conv/<id> or a segment conv/<id>~<n>) indexed whole, at which index version.
CREATE TABLE search_documents (
  doc_name text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL
);
