-- The store on PostgreSQL (issue 17). One table per collection of the store document: the key,
-- the record as jsonb (what the app reads back), and typed columns for what is looked up or
-- counted. Written only by bot/store/pg/pg-store.ts, which fills the typed columns from the record.

CREATE TABLE participants (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  channel text NOT NULL,
  address text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  opted_out boolean NOT NULL
);
CREATE INDEX participants_address ON participants (channel, address);
CREATE INDEX participants_last_seen ON participants (last_seen_at);

-- "channel:address" -> participant id
CREATE TABLE contacts (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  participant_id text NOT NULL
);
CREATE INDEX contacts_participant ON contacts (participant_id);

CREATE TABLE conversations (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  participant_id text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX conversations_participant ON conversations (participant_id);

-- botbuilder Storage: dialog and conversation state
CREATE TABLE bot_state (
  key text PRIMARY KEY,
  record jsonb NOT NULL
);

CREATE TABLE outbox (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  state text NOT NULL,
  channel text NOT NULL,
  recipient text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  due_at timestamptz,
  provider_id text,
  source_kind text,
  source_id text
);
CREATE INDEX outbox_due ON outbox (state, due_at);
CREATE INDEX outbox_provider ON outbox (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX outbox_source ON outbox (source_kind, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX outbox_recipient ON outbox (channel, recipient);
CREATE INDEX outbox_updated ON outbox (updated_at);

CREATE TABLE mappings (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  participant_id text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX mappings_participant ON mappings (participant_id);

CREATE TABLE staff (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  username text NOT NULL
);
CREATE INDEX staff_username ON staff (username);

-- console logins, keyed by the SHA-256 of the cookie token
CREATE TABLE staff_sessions (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  staff_id text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);

CREATE TABLE handoffs (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  participant_id text NOT NULL,
  state text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX handoffs_state ON handoffs (state, updated_at);
CREATE INDEX handoffs_participant ON handoffs (participant_id);

-- inbound SMS already answered, by MessageSid
CREATE TABLE handled_sms (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  at timestamptz NOT NULL,
  participant_id text
);
CREATE INDEX handled_sms_at ON handled_sms (at);
CREATE INDEX handled_sms_participant ON handled_sms (participant_id) WHERE participant_id IS NOT NULL;

CREATE TABLE people (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  phone text
);
CREATE INDEX people_phone ON people (phone) WHERE phone IS NOT NULL;

CREATE TABLE appointments (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  person_id text NOT NULL,
  at timestamptz NOT NULL,
  status text NOT NULL
);
CREATE INDEX appointments_person ON appointments (person_id);
CREATE INDEX appointments_at ON appointments (at);

CREATE TABLE campaigns (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  state text NOT NULL,
  send_at timestamptz NOT NULL
);
CREATE INDEX campaigns_state ON campaigns (state, send_at);

CREATE TABLE reminder_replies (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  participant_id text NOT NULL,
  person_id text NOT NULL,
  at timestamptz NOT NULL,
  handled_at timestamptz
);
CREATE INDEX reminder_replies_participant ON reminder_replies (participant_id);
CREATE INDEX reminder_replies_open ON reminder_replies (at) WHERE handled_at IS NULL;

-- Every committed change of a record, in commit order (writers take one advisory lock), so each
-- instance can bring its in-memory copy up to date: LISTEN store_changes, then read seq > last.
CREATE TABLE store_changes (
  seq bigserial PRIMARY KEY,
  origin text NOT NULL,
  collection text NOT NULL,
  key text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX store_changes_at ON store_changes (at);
-- Changes up to this seq have been pruned: an instance behind it reloads everything.
CREATE TABLE store_changes_pruned (
  id int PRIMARY KEY CHECK (id = 1),
  through bigint NOT NULL
);
INSERT INTO store_changes_pruned VALUES (1, 0);

-- Message history (bot/store/transcripts.ts): append-only.
CREATE TABLE transcripts (
  id bigserial PRIMARY KEY,
  participant_id text NOT NULL,
  at timestamptz NOT NULL,
  direction text NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX transcripts_participant ON transcripts (participant_id, at);
CREATE INDEX transcripts_at ON transcripts (at);

-- Who did what in the console (bot/store/audit.ts): append-only.
CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  participant_id text,
  handoff_id text,
  staff_id text,
  entry jsonb NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_participant ON audit (participant_id) WHERE participant_id IS NOT NULL;

-- What coordinators count (bot/store/insight-log.ts): events carry no text and no participant id.
CREATE TABLE insight_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX insight_events_at ON insight_events (at);
-- Masked texts not understood, deleted with the transcripts.
CREATE TABLE insight_texts (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX insight_texts_at ON insight_texts (at);
-- The pseudonym key (one row).
CREATE TABLE insight_key (
  id int PRIMARY KEY CHECK (id = 1),
  key bytea NOT NULL
);
