-- Up Migration

-- Every event of every domain, as received, once: the source of truth every projection
-- below is rebuilt from. (domain, event_id) is the de-duplication key events carry as
-- Nats-Msg-Id, so a redelivered event is refused here and changes nothing twice.
CREATE TABLE event (
  domain          text        NOT NULL,
  event_id        text        NOT NULL,
  name            text        NOT NULL,
  type_name       text        NOT NULL,
  tenant          text        NOT NULL,
  -- The contact or agent the event is about, when its domain says so; kept even when no
  -- other event names it yet (events for unknown references are never dropped).
  contact_id      text,
  agent_id        text,
  occurred_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  stream_sequence bigint      NOT NULL,
  -- The whole message in protobuf's canonical JSON mapping.
  payload         jsonb       NOT NULL,
  -- What the event says about its contact or agent, in the projections' terms (see src/contacts,
  -- src/agents); derived from payload, kept so a contact is refolded without decoding.
  fact            jsonb,
  PRIMARY KEY (domain, event_id)
);
CREATE INDEX event_contact_idx ON event (tenant, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX event_agent_idx ON event (tenant, agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX event_occurred_at_idx ON event (occurred_at);

-- One row per contact (call, email, chat, work item...), folded from all its events in
-- the order they happened, whatever the order they arrived in.
CREATE TABLE contact (
  tenant              text        NOT NULL,
  contact_id          text        NOT NULL,
  channel             text        NOT NULL,
  site                text,
  ani                 text,
  dnis                text,
  customer_id         text,
  queue               text,
  agent_id            text,
  agent_site          text,
  started_at          timestamptz,
  answered_at         timestamptz,
  queued_at           timestamptz,
  offered_at          timestamptz,
  agent_answered_at   timestamptz,
  transferred_at      timestamptz,
  overflowed_at       timestamptz,
  abandoned_at        timestamptz,
  ended_at            timestamptz,
  wrap_up_ended_at    timestamptz,
  offers              integer     NOT NULL DEFAULT 0,
  transfers           integer     NOT NULL DEFAULT 0,
  hangup_cause        integer,
  outcome             text        NOT NULL,
  wait_seconds        double precision,
  talk_seconds        double precision,
  handle_seconds      double precision,
  facts               integer     NOT NULL,
  first_fact_at      timestamptz NOT NULL,
  PRIMARY KEY (tenant, contact_id)
);
CREATE INDEX contact_period_idx ON contact (tenant, (coalesce(queued_at, started_at, first_fact_at)));
CREATE INDEX contact_customer_idx ON contact (tenant, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX contact_ani_idx ON contact (tenant, ani) WHERE ani IS NOT NULL;
CREATE INDEX contact_waiting_idx ON contact (tenant, queue) WHERE outcome = 'waiting';

-- What each agent was doing, from one state change to the next (ended_at null: now).
CREATE TABLE agent_state_interval (
  tenant      text        NOT NULL,
  agent_id    text        NOT NULL,
  started_at  timestamptz NOT NULL,
  event_id    text        NOT NULL,
  site        text        NOT NULL,
  state       text        NOT NULL,
  reason_code text        NOT NULL DEFAULT '',
  ended_at    timestamptz,
  PRIMARY KEY (tenant, agent_id, started_at, event_id)
);
CREATE INDEX agent_state_current_idx ON agent_state_interval (tenant, site, state) WHERE ended_at IS NULL;

-- Queue figures per 15 minutes and per day, by the interval a contact was queued in; kept
-- by adding each contact's new contribution and taking back its old one.
CREATE TABLE queue_interval (
  tenant                 text             NOT NULL,
  queue                  text             NOT NULL,
  channel                text             NOT NULL,
  site                   text             NOT NULL,
  granularity            text             NOT NULL CHECK (granularity IN ('15m', '1d')),
  interval_start         timestamptz      NOT NULL,
  offered                integer          NOT NULL DEFAULT 0,
  answered               integer          NOT NULL DEFAULT 0,
  answered_within_10s    integer          NOT NULL DEFAULT 0,
  answered_within_20s    integer          NOT NULL DEFAULT 0,
  answered_within_30s    integer          NOT NULL DEFAULT 0,
  answered_within_60s    integer          NOT NULL DEFAULT 0,
  abandoned              integer          NOT NULL DEFAULT 0,
  overflowed             integer          NOT NULL DEFAULT 0,
  -- Sums in whole milliseconds, so taking a contribution back leaves no rounding behind.
  wait_ms_answered       bigint           NOT NULL DEFAULT 0,
  handle_ms              bigint           NOT NULL DEFAULT 0,
  handled                integer          NOT NULL DEFAULT 0,
  abandon_wait_ms        bigint           NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, queue, channel, site, granularity, interval_start)
);

-- Down Migration
DROP TABLE queue_interval;
DROP TABLE agent_state_interval;
DROP TABLE contact;
DROP TABLE event;
