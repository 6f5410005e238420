-- Up Migration
-- The agent who last took a caller's call, learned from acd's contact_accepted, so a repeat
-- caller is offered to that agent first (ACD-4) whether or not they are a known customer.
ALTER TABLE session ADD COLUMN caller_number text NOT NULL DEFAULT '';

CREATE TABLE last_agent (
  tenant      text        NOT NULL,
  number      text        NOT NULL,
  agent_id    text        NOT NULL,
  accepted_at timestamptz NOT NULL,
  PRIMARY KEY (tenant, number)
);
