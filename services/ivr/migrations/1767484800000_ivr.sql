-- Up Migration
-- Everything lives in the `ivr` schema (the pool's search_path).

-- Who calls: the customer 360 summary the flows branch on (VIP tier, last agent, open cases).
CREATE TABLE customer (
  tenant      text        NOT NULL,
  id          text        NOT NULL,
  name        text        NOT NULL DEFAULT '',
  vip_tier    integer     NOT NULL DEFAULT 0 CHECK (vip_tier BETWEEN 0 AND 9),
  last_agent  text        NOT NULL DEFAULT '',
  open_cases  integer     NOT NULL DEFAULT 0 CHECK (open_cases >= 0),
  -- Anything else the flows may test (customer.<field>): segment, language...
  attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);

-- The numbers a customer calls from; one number, one customer per tenant.
CREATE TABLE customer_number (
  tenant      text NOT NULL,
  number      text NOT NULL,
  customer_id text NOT NULL,
  PRIMARY KEY (tenant, number),
  FOREIGN KEY (tenant, customer_id) REFERENCES customer (tenant, id) ON DELETE CASCADE
);

-- Nuisance and blacklisted numbers (seeds/004): their own branch of every flow.
CREATE TABLE blocked_number (
  tenant     text        NOT NULL,
  number     text        NOT NULL,
  reason     text        NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, number)
);

-- A call the ivr took: one per call, whichever replica's delivery of call.started came
-- first; a redelivery finds the row and leaves the call to its owner.
CREATE TABLE session (
  tenant      text        NOT NULL,
  call_id     text        NOT NULL,
  site        text        NOT NULL,
  flow        text        NOT NULL DEFAULT '',
  outcome     text,
  contact_id  text        NOT NULL DEFAULT '',
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  PRIMARY KEY (tenant, call_id)
);
