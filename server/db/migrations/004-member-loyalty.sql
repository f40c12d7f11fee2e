-- Chain-wide tier, stamp cards and pending points per member, projected from every till's facts
-- after ingest (server/projections.ts), never inside it. Member-keyed (distribution column:
-- member_id, colocated with member_account). A row is a cache: `account_pos` is the
-- member_account.pos it reflects, so a pull can tell a stale row and recompute it.
CREATE TABLE member_loyalty (
  member_id        text PRIMARY KEY,
  account_pos      bigint NOT NULL,
  tier_level_id    text,
  tier_review_at   text,
  window_spend     bigint NOT NULL DEFAULT 0 CHECK (window_spend >= 0),
  lifetime_spend   bigint NOT NULL DEFAULT 0 CHECK (lifetime_spend >= 0),
  stamps           jsonb NOT NULL DEFAULT '{}'::jsonb,
  pending_lots     jsonb NOT NULL DEFAULT '[]'::jsonb,
  program_version  integer,
  recheck_at       timestamptz,
  projected_at     timestamptz NOT NULL
);
-- Time-driven changes (a pending lot matures, a sale leaves the rolling window, a tier review).
CREATE INDEX member_loyalty_recheck ON member_loyalty (recheck_at) WHERE recheck_at IS NOT NULL;

-- How far the projector has read each till's stream (terminal-keyed, like terminal_event).
CREATE TABLE projection_cursor (
  terminal_id  text PRIMARY KEY,
  seq          bigint NOT NULL DEFAULT 0 CHECK (seq >= 0)
);
