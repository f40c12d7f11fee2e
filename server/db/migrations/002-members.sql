-- Member-keyed tables (distribution column: member_id, colocated). Every unique key contains it.
CREATE TABLE member_account (
  member_id               text PRIMARY KEY,
  part                    integer NOT NULL CHECK (part >= 0),
  pos                     bigint NOT NULL DEFAULT 0,
  balance                 bigint NOT NULL DEFAULT 0,
  held                    bigint NOT NULL DEFAULT 0 CHECK (held >= 0),
  debt                    bigint NOT NULL DEFAULT 0 CHECK (debt >= 0),
  earned                  bigint NOT NULL DEFAULT 0,
  redeemed                bigint NOT NULL DEFAULT 0,
  expired                 bigint NOT NULL DEFAULT 0,
  adjusted                bigint NOT NULL DEFAULT 0,
  stamps                  integer NOT NULL DEFAULT 0,
  tier                    text,
  blocked                 boolean NOT NULL DEFAULT false,
  offline_redeem_allowed  boolean NOT NULL DEFAULT true,
  offline_block_reason    text,
  home_shop_id            text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
-- Pull reads each partition in position order.
CREATE INDEX member_account_part_pos ON member_account (part, pos);

-- The server ledger: every terminal event with a member, plus server entries (corrections,
-- expiry, settlements, hold resolutions). Append-only.
CREATE TABLE ledger_entry (
  member_id        text NOT NULL,
  entry_id         text NOT NULL,
  source           text NOT NULL CHECK (source IN ('terminal', 'server')),
  kind             text NOT NULL,
  delta            bigint NOT NULL,
  terminal_id      text,
  terminal_seq     bigint,
  shop_id          text,
  sale_id          text,
  ref_event_id     text,
  business_at      timestamptz NOT NULL,
  program_version  integer,
  reason           text,
  payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, entry_id)
);
-- Refund bounds look entries up by sale; reports and expiry scan (no business_at index: every
-- index costs each ingested row, and those are back-office queries).
CREATE INDEX ledger_entry_sale ON ledger_entry (member_id, sale_id) WHERE sale_id IS NOT NULL;

CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entry is append-only: record a correction instead';
END $$;
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE OR DELETE ON ledger_entry
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();

-- Online redemption holds (two-phase: pending → posted | voided | expired, at most once).
CREATE TABLE hold (
  member_id    text NOT NULL,
  hold_id      text NOT NULL,
  terminal_id  text NOT NULL,
  points       bigint NOT NULL CHECK (points > 0),
  status       text NOT NULL CHECK (status IN ('pending', 'posted', 'voided', 'expired')),
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz,
  PRIMARY KEY (member_id, hold_id)
);

-- Things a manager should look at (overdraft, earn mismatch, refund beyond earned, …).
CREATE TABLE review_item (
  member_id    text NOT NULL,
  review_id    text NOT NULL,
  kind         text NOT NULL,
  details      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz,
  PRIMARY KEY (member_id, review_id)
);

-- Pull positions: one counter row per member partition, taken inside the writing transaction,
-- so a partition's positions become visible in commit order and a cursor never skips a row.
CREATE TABLE log_head (
  part  integer PRIMARY KEY,
  pos   bigint NOT NULL DEFAULT 0
);
INSERT INTO log_head (part, pos) SELECT g, 0 FROM generate_series(0, 15) AS g;

-- Webhook deliveries for a CRM, written in the same transaction as the change (outbox).
CREATE TABLE webhook_outbox (
  member_id        text NOT NULL,
  delivery_id      text NOT NULL,
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  last_error       text,
  PRIMARY KEY (member_id, delivery_id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL;
