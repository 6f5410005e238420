-- Up Migration

-- Every change an admin, a supervisor or a platform operator made through the api (and every
-- change of a tenant's configuration by a tool): who, what, when, on what, before and after.
-- Rows are only ever inserted.
CREATE TABLE api.audit_entry (
  entry_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant      text,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text        NOT NULL,
  actor_roles text[]      NOT NULL,
  action      text        NOT NULL,
  target      jsonb       NOT NULL,
  request     jsonb,
  before      jsonb,
  after       jsonb,
  status      integer     NOT NULL,
  trace_id    text
);
CREATE INDEX audit_entry_tenant_at ON api.audit_entry (tenant, entry_id DESC);
