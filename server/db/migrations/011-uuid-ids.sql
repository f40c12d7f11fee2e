-- Event and entry ids as uuid instead of text: 16 bytes compared with memcmp in the
-- (terminal_id, event_id) and (member_id, entry_id) keys every ingested event inserts into,
-- where text compared through the database's collation (strcoll) and stored 37 bytes. Every
-- value is a UUID already: ingest refuses an event whose id is not one (since the first
-- release), and server entries are uuidv7. Only lowercase ids are accepted, which is what
-- uuid gives back, so the wire strings do not change. The ALTERs rewrite both tables once.
ALTER TABLE terminal_event ALTER COLUMN event_id TYPE uuid USING event_id::uuid;
ALTER TABLE ledger_entry ALTER COLUMN entry_id TYPE uuid USING entry_id::uuid;
