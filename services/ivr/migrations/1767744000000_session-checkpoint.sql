-- Up Migration
-- Where a session's flow stands before each step that talks to the caller (the step and the
-- call's data so far), so a replica taking the session over goes on from there instead of
-- playing the flow again from its start; and the call's trace, so what the replica taking
-- over does stays in that trace.
ALTER TABLE session
  ADD COLUMN checkpoint  jsonb,
  ADD COLUMN traceparent text NOT NULL DEFAULT '';
