-- Up Migration

-- Callbacks (VM-2): what a customer asked for, kept here until it is over, because it may
-- wait for days (an appointment) and outlive every replica. While one is queued its
-- contact lives in Redis like any other; every time is the acd's routing clock.
CREATE TABLE acd.callback (
  tenant          text        NOT NULL,
  callback_id     text        NOT NULL,
  queue           text        NOT NULL,
  number          text        NOT NULL,
  -- Site whose media gateway dials; '' for the site of the agent who takes it.
  site            text        NOT NULL DEFAULT '',
  customer_id     text        NOT NULL DEFAULT '',
  priority        integer     NOT NULL DEFAULT 0,
  required_skills jsonb       NOT NULL DEFAULT '{}',
  preferred_agent text        NOT NULL DEFAULT '',
  data            jsonb       NOT NULL DEFAULT '{}',
  origin          text        NOT NULL DEFAULT '' CHECK (origin IN ('', 'ivr', 'web')),
  -- Its place in the queue, kept by every attempt.
  waiting_since   timestamptz NOT NULL,
  appointment     timestamptz,
  -- Not queued before: the appointment, or the next attempt's time after a failed one.
  not_before      timestamptz NOT NULL,
  status          text        NOT NULL CHECK (status IN ('scheduled', 'queued', 'dialling', 'completed', 'failed', 'cancelled')),
  -- Attempts counted against the customer, and how many it may take.
  attempts        integer     NOT NULL DEFAULT 0,
  max_attempts    integer     NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
  -- Every attempt, counted or not: the n of its contact `<callback_id>@<n>`.
  rounds          integer     NOT NULL DEFAULT 0,
  last_outcome    text        CHECK (last_outcome IN ('answered', 'no_answer', 'busy', 'failed', 'agent_unreachable')),
  contact_id      text,
  -- The current attempt's agent and call, from the moment it is dialled.
  agent_id        text,
  agent_site      text,
  call_site       text,
  call_id         text,
  -- A dial still open after this was left by a replica that died: the timers end it.
  dial_deadline   timestamptz,
  -- The customer's call ended (call.hungup) while the attempt was still being dialled.
  call_ended_at   timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (tenant, callback_id)
);
-- What the scheduler takes (due), and what the timers recover (dials left open).
CREATE INDEX callback_due_idx ON acd.callback (not_before) WHERE status = 'scheduled';
CREATE INDEX callback_dialling_idx ON acd.callback (dial_deadline) WHERE status = 'dialling';
-- A hang-up names the call; call ids are unique across tenants (callbackCallId).
CREATE INDEX callback_call_idx ON acd.callback (call_id) WHERE call_id IS NOT NULL;

-- Every attempt of a callback and how it ended, for the callback's history.
CREATE TABLE acd.callback_attempt (
  tenant          text        NOT NULL,
  callback_id     text        NOT NULL,
  attempt         integer     NOT NULL,
  contact_id      text        NOT NULL,
  agent_id        text        NOT NULL,
  outcome         text        NOT NULL CHECK (outcome IN ('answered', 'no_answer', 'busy', 'failed', 'agent_unreachable')),
  counted         boolean     NOT NULL,
  call_site       text        NOT NULL,
  call_id         text        NOT NULL,
  ended_at        timestamptz NOT NULL,
  next_attempt_at timestamptz,
  PRIMARY KEY (tenant, callback_id, attempt),
  FOREIGN KEY (tenant, callback_id) REFERENCES acd.callback ON DELETE CASCADE
);

-- Callback events, written in the transaction that makes the change they report and
-- deleted once published to JetStream (an event exists exactly when its change does).
CREATE TABLE acd.event_outbox (
  id         bigserial   PRIMARY KEY,
  event_id   text        NOT NULL UNIQUE,
  -- The event's name in the acd catalogue (`callback_attempted`).
  name       text        NOT NULL,
  payload    bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE acd.event_outbox;
DROP TABLE acd.callback_attempt;
DROP TABLE acd.callback;
