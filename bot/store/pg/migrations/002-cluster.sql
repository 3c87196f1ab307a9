-- Several instances on one database (bot/cluster/, docs/instances.md).

-- Each try at sending an outbox message, taken by one instance (bot/cluster/pg-cluster.ts).
CREATE TABLE outbox_claims (
  message_id text NOT NULL,
  attempt integer NOT NULL,
  instance text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, attempt)
);
CREATE INDEX outbox_claims_claimed_at ON outbox_claims (claimed_at);

-- Web chat's feeds, applied by every instance in seq order (bot/channels/direct-line-sync.ts).
CREATE TABLE webchat_feed (
  seq bigserial PRIMARY KEY,
  instance text NOT NULL,
  conversation_id text NOT NULL,
  event jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webchat_feed_conversation ON webchat_feed (conversation_id, seq);
CREATE INDEX webchat_feed_at ON webchat_feed (at);

-- rate-limiter-flexible's PostgreSQL store, shared by every limiter (bot/rate-limit.ts).
CREATE TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
