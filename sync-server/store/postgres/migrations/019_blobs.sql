-- Uploaded pictures (blobs/blob-store.ts, postgres-blob-store.ts): the bytes as bytea beside their metadata,
-- so every relay serves every picture with no shared disk. Uploads are bounded (UPLOAD_MAX_BYTES, a few MB):
-- bytea keeps them in the same backups and transactions as the rest; no large objects to clean up.
CREATE TABLE blobs (
  id text COLLATE "C" PRIMARY KEY,
  record jsonb NOT NULL,
  bytes bytea NOT NULL
);

-- Which conversations a picture was sent to (who may fetch it).
CREATE TABLE blob_refs (
  blob_id text COLLATE "C" NOT NULL,
  conversation_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (blob_id, conversation_id)
);
