-- API keys: who may call the API, and as whom. Keys are operational data, not registry state: no key, and
-- never a secret, is in the ledger. An entry names the key that wrote it by its public key_id only, so a
-- key is never deleted (history would lose who acted) and the only change a key ever sees is its revocation.

-- One row per key. The token handed out once is clk_<key_id>_<secret>; only SHA-256 of the 32 secret bytes
-- is kept, so this table cannot be used to call the API. A fast hash is enough because the secret is 256
-- random bits, not a password: there is nothing to guess.
CREATE TABLE api_keys (
  key_id      text        PRIMARY KEY CHECK (key_id ~ '^K[0-9a-f]{16}$'),
  secret_hash bytea       NOT NULL CHECK (octet_length(secret_hash) = 32),
  role        text        NOT NULL CHECK (role IN ('REGISTRY_ADMIN', 'ACCOUNT_HOLDER', 'AUDITOR')),
  -- An ACCOUNT_HOLDER key acts for every account of one holder; other roles are not bound to a holder.
  -- No foreign key to account_holders: that table is a projection that may be rebuilt from the log.
  holder_id   text        CHECK (holder_id ~ '^H[0-9]{8}[0-9A-Z]$'),
  name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz CHECK (revoked_at >= created_at),
  CHECK ((role = 'ACCOUNT_HOLDER') = (holder_id IS NOT NULL))
);
-- The first-start check asks whether an active REGISTRY_ADMIN key exists.
CREATE INDEX api_keys_active_role ON api_keys (role) WHERE revoked_at IS NULL;

-- A key is revoked once and for good: no delete, no un-revoke, no edit of what it is. A mistaken UPDATE can
-- therefore never bring a leaked key back to life, nor make an entry's key_id name someone else.
CREATE FUNCTION api_keys_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
       AND (NEW.key_id, NEW.secret_hash, NEW.role, NEW.holder_id, NEW.name, NEW.created_at)
           IS NOT DISTINCT FROM (OLD.key_id, OLD.secret_hash, OLD.role, OLD.holder_id, OLD.name, OLD.created_at) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'api keys are only ever revoked: this % on api_keys is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER api_keys_revoke_only BEFORE UPDATE OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_revoke_only();
CREATE TRIGGER api_keys_no_truncate BEFORE TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_revoke_only();
