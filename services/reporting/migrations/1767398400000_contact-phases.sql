-- Up Migration

-- The phases of a contact the acd, ivr and voicemail streams tell, beside those of the call:
-- one row per contact from the IVR through the queue and the agents to voicemail.
ALTER TABLE contact
  -- The flow the call went through, how it let go of the call and when; the menu keys
  -- chosen in order (`main_menu:2 service_menu:1`); how many inputs were collected (their
  -- values stay in the events).
  ADD COLUMN ivr_flow               text,
  ADD COLUMN ivr_outcome            text,
  ADD COLUMN ivr_ended_at           timestamptz,
  ADD COLUMN ivr_menu_path          text,
  ADD COLUMN ivr_inputs             integer NOT NULL DEFAULT 0,
  -- Taken out of the queue by its owner or by the caller's key (voicemail, callback).
  ADD COLUMN withdrawn_at           timestamptz,
  ADD COLUMN queue_choice           text,
  ADD COLUMN queue_choice_at        timestamptz,
  -- The agent let it go; wrap-up ended when the agent left wrap-up (or was due to).
  ADD COLUMN released_at            timestamptz,
  ADD COLUMN wrap_up_seconds        double precision,
  ADD COLUMN ring_no_answers        integer NOT NULL DEFAULT 0,
  ADD COLUMN rejections             integer NOT NULL DEFAULT 0,
  -- The message the caller left (its work item is contact `voicemail-<id>`), or did not.
  ADD COLUMN voicemail_message_id   text,
  ADD COLUMN voicemail_left_at      timestamptz,
  ADD COLUMN voicemail_abandoned_at timestamptz;

-- An agent's state change finds the releases whose wrap-up it may end (src/agents/agent-wrap-ups.ts).
CREATE INDEX event_wrap_up_idx ON event (tenant, agent_id, ((fact->>'wrapUpUntilMs')::bigint))
  WHERE fact->>'kind' = 'released' AND fact ? 'wrapUpUntilMs';

-- Down Migration
DROP INDEX event_wrap_up_idx;
ALTER TABLE contact
  DROP COLUMN ivr_flow,
  DROP COLUMN ivr_outcome,
  DROP COLUMN ivr_ended_at,
  DROP COLUMN ivr_menu_path,
  DROP COLUMN ivr_inputs,
  DROP COLUMN withdrawn_at,
  DROP COLUMN queue_choice,
  DROP COLUMN queue_choice_at,
  DROP COLUMN released_at,
  DROP COLUMN wrap_up_seconds,
  DROP COLUMN ring_no_answers,
  DROP COLUMN rejections,
  DROP COLUMN voicemail_message_id,
  DROP COLUMN voicemail_left_at,
  DROP COLUMN voicemail_abandoned_at;
