-- Pull positions in an append-only change table instead of an index on member_account (part, pos).
-- With pos indexed, every balance change was a non-HOT update: a new version of the member's row
-- on another page and an entry in each of its two indexes, for every member of every batch.
-- Without that index the update can stay on its page (HOT: no index entry at all), and the
-- position goes into one narrow row appended at the right edge of member_change's key.
-- A member's newest change row is the one whose pos equals member_account.pos; pull reads only
-- those, and compaction (server/changes.ts) deletes the older ones.
-- Keyed by partition like log_head, whose positions it records (on Citus: distributed by part,
-- or a reference table beside log_head).
CREATE TABLE member_change (
  part       integer NOT NULL,
  pos        bigint NOT NULL,
  member_id  text NOT NULL,
  PRIMARY KEY (part, pos)
);
INSERT INTO member_change (part, pos, member_id) SELECT part, pos, member_id FROM member_account;
DROP INDEX member_account_part_pos;
-- Room on each page for the next version of its rows, so that the update can be HOT. Pages
-- already full keep no room until their rows move off them; new pages get it.
ALTER TABLE member_account SET (fillfactor = 70);
