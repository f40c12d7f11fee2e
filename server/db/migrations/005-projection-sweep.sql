-- A new program version can change every member's tier or stamp cards: the projector sweeps all
-- members once per version (in member_id order, a bounded slice per run) and records how far it got.
CREATE TABLE projection_sweep (
  id               integer PRIMARY KEY CHECK (id = 1),
  target_version   integer,
  swept_version    integer,
  after_member     text NOT NULL DEFAULT ''
);
INSERT INTO projection_sweep (id) VALUES (1);

-- The level a member holds at projection time under the newest program (review and grace
-- applied): when it changes (a review date passed, a new program moved a threshold), tills
-- must hear about it even though no fact changed.
ALTER TABLE member_loyalty ADD COLUMN level_now text;
