-- Keygate API-key store, PostgreSQL 9.5 or later.
-- Tables carry the default prefix keygate_; JdbcApiKeyStore.createSchemaIfMissing() applies
-- this script with the configured prefix. Safe to run twice (IF NOT EXISTS).
-- scopes and allowed_ips hold a JSON array of strings, metadata a JSON object of strings.
-- Secrets are never stored: only hashes in PHC string form.

CREATE TABLE IF NOT EXISTS keygate_api_keys (
  id                         VARCHAR(64) COLLATE "C" NOT NULL,
  name                       TEXT NOT NULL,
  hint                       VARCHAR(255) NOT NULL,
  secret_hash                VARCHAR(1024) NOT NULL,
  previous_secret_hash       VARCHAR(1024),
  previous_secret_expires_at TIMESTAMP WITH TIME ZONE,
  scopes                     TEXT NOT NULL,
  environment                VARCHAR(255),
  owner                      VARCHAR(255),
  created_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at                 TIMESTAMP WITH TIME ZONE,
  revoked_at                 TIMESTAMP WITH TIME ZONE,
  rotated_at                 TIMESTAMP WITH TIME ZONE,
  last_used_at               TIMESTAMP WITH TIME ZONE,
  usage_count                BIGINT NOT NULL DEFAULT 0,
  allowed_ips                TEXT NOT NULL,
  rate_limit_requests        INTEGER,
  rate_limit_period          VARCHAR(64),
  metadata                   TEXT NOT NULL,
  version                    BIGINT NOT NULL,
  CONSTRAINT keygate_api_keys_pk PRIMARY KEY (id)
);

-- list by owner (the management API's usual query), and list everything, in creation order
CREATE INDEX IF NOT EXISTS keygate_api_keys_owner_idx ON keygate_api_keys (owner, created_at, id);
CREATE INDEX IF NOT EXISTS keygate_api_keys_created_idx ON keygate_api_keys (created_at, id);

-- one row per update or delete, written in the same transaction; other nodes poll it (seq > last
-- seen) to drop the key from their caches. Rows older than the retention (1 hour) are pruned.
CREATE TABLE IF NOT EXISTS keygate_key_changes (
  seq        BIGSERIAL NOT NULL,
  key_id     VARCHAR(64) NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT keygate_key_changes_pk PRIMARY KEY (seq)
);

CREATE INDEX IF NOT EXISTS keygate_key_changes_at_idx ON keygate_key_changes (changed_at);
