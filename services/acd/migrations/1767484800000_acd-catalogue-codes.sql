-- Up Migration

-- Each tenant's catalogues of not-ready reasons (why an agent pauses) and wrap-up codes
-- (how a contact ended): a code and the label people see. Configuration like skills:
-- kept here, exported and imported with the rest.
CREATE TABLE acd.not_ready_reason (
  tenant     text        NOT NULL,
  code       text        NOT NULL,
  label      text        NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, code)
);

CREATE TABLE acd.wrap_up_code (
  tenant     text        NOT NULL,
  code       text        NOT NULL,
  label      text        NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, code)
);

-- Down Migration

DROP TABLE acd.wrap_up_code;
DROP TABLE acd.not_ready_reason;
