-- Up Migration

-- The W3C traceparent of the request that made a callback: its events and the contact of
-- every attempt continue that trace, however much later the timers queue it. Null for a
-- callback requested outside any trace (or before this column).
ALTER TABLE acd.callback ADD COLUMN traceparent text;
-- The trace an event belongs to, so it is published in that trace and not in the relaying
-- replica's; null for none.
ALTER TABLE acd.event_outbox ADD COLUMN traceparent text;

-- Down Migration

ALTER TABLE acd.event_outbox DROP COLUMN traceparent;
ALTER TABLE acd.callback DROP COLUMN traceparent;
