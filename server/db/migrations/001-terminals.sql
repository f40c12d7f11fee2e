-- Shops, terminals and their provisioning. Terminal-keyed (distribution column: terminal_id).
CREATE TABLE shop (
  shop_id     text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terminal (
  terminal_id      text PRIMARY KEY,
  shop_id          text NOT NULL REFERENCES shop (shop_id),
  name             text NOT NULL DEFAULT '',
  secret_hash      text NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'quarantined', 'revoked')),
  status_reason    text,
  last_seq         bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  last_hash        text NOT NULL DEFAULT '',
  last_push_at     timestamptz,
  clock_offset_ms  bigint,
  clock_drift      boolean NOT NULL DEFAULT false,
  registered_at    timestamptz NOT NULL DEFAULT now()
);

-- One-time codes a manager hands to a till; only the SHA-256 is stored.
CREATE TABLE provisioning_code (
  code_hash    text PRIMARY KEY,
  shop_id      text NOT NULL REFERENCES shop (shop_id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  terminal_id  text
);

-- The till's stream as received: contiguous seq per terminal, hash-chained (step 1 of ingest).
CREATE TABLE terminal_event (
  terminal_id      text NOT NULL,
  seq              bigint NOT NULL CHECK (seq > 0),
  event_id         text NOT NULL,
  kind             text NOT NULL,
  member_id        text,
  delta            bigint NOT NULL,
  sale_id          text,
  ref_event_id     text,
  occurred_at      text NOT NULL,
  business_at      timestamptz NOT NULL,
  drift_flagged    boolean NOT NULL DEFAULT false,
  program_version  integer,
  payload          jsonb NOT NULL,
  prev_hash        text NOT NULL,
  hash             text NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, seq),
  UNIQUE (terminal_id, event_id)
);
-- Only sale facts are looked up by sale (earn recomputation); a partial index keeps ingest cheap.
CREATE INDEX terminal_event_sale ON terminal_event (terminal_id, sale_id) WHERE kind = 'sale';

-- Idempotency keys: (terminal, batch_id) → the original response, replayed on retry.
CREATE TABLE batch_receipt (
  terminal_id   text NOT NULL,
  batch_id      text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response      text NOT NULL, -- the exact JSON sent, replayed byte for byte
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, batch_id)
);

-- Integrity and clock alerts about a till (quarantine reasons, drift).
CREATE TABLE terminal_alert (
  terminal_id  text NOT NULL,
  alert_id     text NOT NULL,
  kind         text NOT NULL,
  details      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, alert_id)
);
