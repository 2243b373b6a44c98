-- Keygate API-key store, MySQL 8 and MariaDB 10.3 or later (InnoDB).
-- Tables carry the default prefix keygate_; JdbcApiKeyStore.createSchemaIfMissing() applies
-- this script with the configured prefix. Safe to run twice (IF NOT EXISTS; indexes are declared
-- inline because MySQL has no CREATE INDEX IF NOT EXISTS).
-- Instants are DATETIME(6) in UTC. utf8mb4_bin keeps key ids case-sensitive (base62).
-- scopes and allowed_ips hold a JSON array of strings, metadata a JSON object of strings.
-- Secrets are never stored: only hashes in PHC string form.

CREATE TABLE IF NOT EXISTS keygate_api_keys (
  id                         VARCHAR(64) NOT NULL,
  name                       TEXT NOT NULL,
  hint                       VARCHAR(255) NOT NULL,
  secret_hash                VARCHAR(1024) NOT NULL,
  previous_secret_hash       VARCHAR(1024),
  previous_secret_expires_at DATETIME(6),
  scopes                     TEXT NOT NULL,
  environment                VARCHAR(255),
  owner                      VARCHAR(255),
  created_at                 DATETIME(6) NOT NULL,
  expires_at                 DATETIME(6),
  revoked_at                 DATETIME(6),
  rotated_at                 DATETIME(6),
  last_used_at               DATETIME(6),
  usage_count                BIGINT NOT NULL DEFAULT 0,
  allowed_ips                TEXT NOT NULL,
  rate_limit_requests        INTEGER,
  rate_limit_period          VARCHAR(64),
  metadata                   TEXT NOT NULL,
  version                    BIGINT NOT NULL,
  PRIMARY KEY (id),
  -- list by owner (the management API's usual query), and list everything, in creation order
  INDEX keygate_api_keys_owner_idx (owner, created_at, id),
  INDEX keygate_api_keys_created_idx (created_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- one row per update or delete, written in the same transaction; other nodes poll it (seq > last
-- seen) to drop the key from their caches. Rows older than the retention (1 hour) are pruned.
CREATE TABLE IF NOT EXISTS keygate_key_changes (
  seq        BIGINT NOT NULL AUTO_INCREMENT,
  key_id     VARCHAR(64) NOT NULL,
  changed_at DATETIME(6) NOT NULL,
  PRIMARY KEY (seq),
  INDEX keygate_key_changes_at_idx (changed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
