-- Each record's version: the store_changes seq of its last write (0 for rows written before this
-- migration). A write names the version it was made on and changes the row only if that is still
-- the version there, so an instance's stale copy (a write that failed during an outage, retried
-- later) never overwrites a newer record another instance wrote (bot/store/pg/pg-store.ts).
ALTER TABLE participants ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE bot_state ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE mappings ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE staff_sessions ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE handoffs ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE handled_sms ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE reminder_replies ADD COLUMN version bigint NOT NULL DEFAULT 0;
