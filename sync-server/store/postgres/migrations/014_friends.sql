-- Friendships, pending friend requests and blocks (store/friends.ts, postgres-friends.ts).
-- A friendship is two rows, one per side, each with its owner's private remark.
CREATE TABLE friendships (
  user_id text COLLATE "C" NOT NULL,
  friend_id text COLLATE "C" NOT NULL,
  since bigint NOT NULL,
  remark text,
  PRIMARY KEY (user_id, friend_id)
);

-- At most one pending request from one person to another.
CREATE TABLE friend_requests (
  id text COLLATE "C" PRIMARY KEY,
  from_id text COLLATE "C" NOT NULL,
  to_id text COLLATE "C" NOT NULL,
  note text NOT NULL,
  created_at bigint NOT NULL,
  UNIQUE (from_id, to_id)
);

CREATE INDEX friend_requests_to ON friend_requests (to_id);

CREATE TABLE blocks (
  blocker_id text COLLATE "C" NOT NULL,
  blocked_id text COLLATE "C" NOT NULL,
  since bigint NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id)
);
