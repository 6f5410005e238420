-- Up Migration

-- The acd's configuration, per tenant: what an admin (command or YAML import) stored,
-- validated before it got here. Live routing state is in Redis; these rows are what
-- every replica loads into Redis at start-up and after a change. The acd owns schema acd.

-- The skill catalogue; once a tenant has one, contacts and agents name only its skills.
CREATE TABLE acd.skill (
  tenant      text        NOT NULL,
  name        text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, name)
);

-- A queue's routing definition (strategy, timers, routing steps, overflow) as the
-- domain's validated QueueDefinition input.
CREATE TABLE acd.queue (
  tenant     text        NOT NULL,
  queue      text        NOT NULL,
  definition jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, queue)
);

-- An agent's (or employee's, or supervisor's) profile: site, phone, skills, capacity, queues.
CREATE TABLE acd.agent (
  tenant     text        NOT NULL,
  agent_id   text        NOT NULL,
  profile    jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, agent_id)
);
-- Which agents name a queue or a skill (deletes refuse while any does).
CREATE INDEX agent_queues_idx ON acd.agent USING gin ((profile -> 'queues'));
CREATE INDEX agent_skills_idx ON acd.agent USING gin ((profile -> 'skills'));

-- Down Migration

DROP TABLE acd.agent;
DROP TABLE acd.queue;
DROP TABLE acd.skill;
