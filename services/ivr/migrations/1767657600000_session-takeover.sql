-- Up Migration
-- A session's owner keeps it alive with a heartbeat; when a replica dies, another takes its
-- sessions over (IvrSessions sweep) and picks the call up where it can: a waiting caller
-- gets the wait in queue again, a caller in the flow starts the flow again.
ALTER TABLE session
  ADD COLUMN owner        text        NOT NULL DEFAULT '',
  ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN dnis         text        NOT NULL DEFAULT '',
  ADD COLUMN caller_name  text        NOT NULL DEFAULT '',
  -- flow | waiting
  ADD COLUMN stage        text        NOT NULL DEFAULT 'flow',
  -- The queue step's request and when the caller started waiting, once queued.
  ADD COLUMN queued       jsonb;

CREATE INDEX session_live ON session (heartbeat_at) WHERE ended_at IS NULL;
