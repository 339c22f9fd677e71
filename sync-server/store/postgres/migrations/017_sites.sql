-- Sites that embed the widget, their visitors and visitors' token hashes (store/sites.ts, postgres-sites.ts).
-- The site's settings are kept whole as jsonb beside the owner they are listed by.
CREATE TABLE sites (
  key text COLLATE "C" PRIMARY KEY,
  owner_id text COLLATE "C" NOT NULL,
  record jsonb NOT NULL
);

CREATE INDEX sites_of_owner ON sites (owner_id);

CREATE TABLE site_visitors (
  site_key text COLLATE "C" NOT NULL,
  guest_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (site_key, guest_id)
);

-- The SHA-256 of a visitor's token → their guest account.
CREATE TABLE guest_tokens (
  token_hash text COLLATE "C" PRIMARY KEY,
  guest_id text NOT NULL
);
