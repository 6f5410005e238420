-- Up Migration

-- A tenant's webhook subscriptions: where to POST which event types, and the secret that
-- signs them (Standard Webhooks, `whsec_<base64>`). The secret must be at hand to sign, so
-- it is kept as it is; the api shows it only when it is made. After a rotation the old
-- secret signs too, beside the new one, until previous_secret_until.
CREATE TABLE api.webhook_subscription (
  webhook_id            uuid        PRIMARY KEY,
  tenant                text        NOT NULL,
  url                   text        NOT NULL,
  event_types           text[]      NOT NULL CHECK (cardinality(event_types) > 0),
  description           text        NOT NULL DEFAULT '',
  enabled               boolean     NOT NULL DEFAULT true,
  secret                text        NOT NULL,
  previous_secret       text,
  previous_secret_until timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscription_tenant ON api.webhook_subscription (tenant, created_at, webhook_id);

-- The outbox: one row per (subscription, event), written by the event consumers (a second
-- delivery of the same event by JetStream finds its row and adds nothing) and worked off
-- by every replica's worker. `seq` is the order the api took the events in; the pending
-- deliveries of one subject (a contact, an agent, a callback) go one at a time, lowest
-- seq first. A claimed delivery is leased until its attempt must have ended
-- (lease_until), so a replica that dies mid-attempt leaves it to another.
CREATE TABLE api.webhook_delivery (
  delivery_id      uuid        PRIMARY KEY,
  seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  webhook_id       uuid        NOT NULL REFERENCES api.webhook_subscription ON DELETE CASCADE,
  tenant           text        NOT NULL,
  event_id         text        NOT NULL,
  event_type       text        NOT NULL,
  subject          text        NOT NULL,
  body             text        NOT NULL,
  status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_failure     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_delivery_due ON api.webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_subject ON api.webhook_delivery (webhook_id, subject, seq) WHERE status = 'pending';
CREATE INDEX webhook_delivery_log ON api.webhook_delivery (webhook_id, status, seq);
CREATE INDEX webhook_delivery_finished ON api.webhook_delivery (finished_at) WHERE status <> 'pending';

-- Every attempt of a delivery, for the log: when, how long, what the receiver answered.
CREATE TABLE api.webhook_attempt (
  attempt_id   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id  uuid        NOT NULL REFERENCES api.webhook_delivery ON DELETE CASCADE,
  attempt      integer     NOT NULL,
  attempted_at timestamptz NOT NULL,
  duration_ms  integer     NOT NULL,
  status_code  integer,
  failure      text
);
CREATE INDEX webhook_attempt_delivery ON api.webhook_attempt (delivery_id, attempt_id);
