-- Small reference tables (replicated to every node on Citus).
CREATE TABLE program_version (
  version       integer PRIMARY KEY CHECK (version > 0),
  program       jsonb NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE server_setting (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
