-- Up Migration

-- People who sign in at the embedded OpenID provider. A user belongs to one tenant (a platform
-- operator to none) and holds roles there; an agent user names its acd agent. Passwords are
-- argon2id hashes. Failed sign-ins in a row lock the account for a while (brute force).
CREATE TABLE api.user_account (
  user_id        text        PRIMARY KEY,
  tenant         text,
  login          text        NOT NULL,
  display_name   text        NOT NULL DEFAULT '',
  password_hash  text        NOT NULL,
  roles          text[]      NOT NULL,
  agent_id       text,
  disabled       boolean     NOT NULL DEFAULT false,
  failed_logins  integer     NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (roles <@ ARRAY['agent', 'supervisor', 'admin', 'platform-operator']::text[]),
  CHECK ((tenant IS NULL) = (roles = ARRAY['platform-operator']::text[]))
);
-- Logins are compared without regard to case.
CREATE UNIQUE INDEX user_account_login ON api.user_account (lower(login));
CREATE UNIQUE INDEX user_account_agent ON api.user_account (tenant, agent_id) WHERE agent_id IS NOT NULL;

-- Everything the OpenID provider keeps between requests, so any replica continues what
-- another began: sessions, interactions, authorization codes, grants, refresh tokens,
-- and the tool clients (model Client) admins register.
CREATE TABLE api.oidc_model (
  model       text        NOT NULL,
  id          text        NOT NULL,
  payload     jsonb       NOT NULL,
  grant_id    text,
  user_code   text,
  uid         text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_model_grant ON api.oidc_model (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_model_uid ON api.oidc_model (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_model_expiry ON api.oidc_model (expires_at) WHERE expires_at IS NOT NULL;
