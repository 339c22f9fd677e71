-- How far into each document's log the cluster's search index holds every stored change (search/message-index.ts,
-- `IndexedThrough`; issue 14): written in the transaction of the index write that made it true, so a document whose
-- log went further (a relay died between storing a message and its index write, up to the write queue's delay) is
-- indexed whole again when it next loads. A document without a row is indexed whole at its next load, once.
CREATE TABLE search_clocks (
  doc_name text COLLATE "C" PRIMARY KEY,
  next_clock bigint NOT NULL
);
