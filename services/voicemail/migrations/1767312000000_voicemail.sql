-- Up Migration
-- Everything lives in the `voicemail` schema (the pool's search_path), so the service can
-- share a database with others without sharing their tables or their migrations table.

-- Greetings: one per queue, or the tenant's own when `queue` is empty.
CREATE TABLE greeting (
  tenant     text        NOT NULL,
  queue      text        NOT NULL DEFAULT '',
  media      text[]      NOT NULL CHECK (cardinality(media) BETWEEN 1 AND 16),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, queue)
);

-- A caller's time in voicemail, from take_call to a kept or abandoned message. One per call:
-- a second take_call for the same call finds this row and answers with its message id.
CREATE TABLE session (
  message_id    uuid        PRIMARY KEY,
  tenant        text        NOT NULL,
  site          text        NOT NULL,
  call_id       text        NOT NULL,
  queue         text        NOT NULL DEFAULT '',
  mailbox       text        NOT NULL DEFAULT '',
  caller_number text        NOT NULL DEFAULT '',
  priority      integer     NOT NULL DEFAULT 0,
  contact_id    text        NOT NULL DEFAULT '',
  reason        text        NOT NULL,
  min_message_ms integer    NOT NULL,
  -- The take the caller is on (re-recording replaces it); null before the first beep.
  recording_id  text,
  caller_gone   boolean     NOT NULL DEFAULT false,
  outcome       text        CHECK (outcome IN ('left', 'abandoned')),
  traceparent   text,
  taken_at      timestamptz NOT NULL DEFAULT now(),
  ended_at      timestamptz,
  UNIQUE (tenant, call_id)
);

-- Finished recordings of a session, as call.recording_finished reported them.
CREATE TABLE take (
  recording_id text        PRIMARY KEY,
  message_id   uuid        NOT NULL REFERENCES session (message_id),
  location     text        NOT NULL,
  content_type text        NOT NULL,
  duration_ms  integer     NOT NULL,
  size_bytes   bigint      NOT NULL,
  finished_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX take_message ON take (message_id);

-- Kept messages: what agents of the queue work on.
CREATE TABLE message (
  id            uuid        PRIMARY KEY REFERENCES session (message_id),
  tenant        text        NOT NULL,
  site          text        NOT NULL,
  call_id       text        NOT NULL,
  queue         text        NOT NULL,
  mailbox       text        NOT NULL,
  caller_number text        NOT NULL,
  priority      integer     NOT NULL,
  contact_id    text        NOT NULL,
  received_at   timestamptz NOT NULL,
  duration_ms   integer     NOT NULL CHECK (duration_ms > 0),
  recording_id  text        NOT NULL,
  location      text        NOT NULL,
  content_type  text        NOT NULL,
  size_bytes    bigint      NOT NULL,
  state         text        NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'heard', 'deleted'))
);
CREATE INDEX message_queue ON message (tenant, queue, received_at) WHERE state <> 'deleted';

-- Messages (events, commands) written in the same transaction as the change they announce,
-- and sent by the relay afterwards: a process dying between the two loses nothing.
CREATE TABLE outbox (
  id              bigserial   PRIMARY KEY,
  kind            text        NOT NULL CHECK (kind IN ('event', 'command')),
  domain          text        NOT NULL,
  name            text        NOT NULL,
  -- Event id (Nats-Msg-Id) or command id: what makes a second sending harmless.
  message_key     text        NOT NULL UNIQUE,
  payload         bytea       NOT NULL,
  traceparent     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer     NOT NULL DEFAULT 0,
  -- A failed sending waits until then (growing delays); a refused command is never retried.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  published_at    timestamptz,
  refused_at      timestamptz
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE published_at IS NULL AND refused_at IS NULL;

-- Down Migration
DROP TABLE outbox;
DROP TABLE message;
DROP TABLE take;
DROP TABLE session;
DROP TABLE greeting;
