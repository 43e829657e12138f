-- Every revocation is announced on channel api_key_revoked, with the key id as payload, when its transaction
-- commits, whoever revokes (the API, `keys revoke`, plain SQL). Servers remember keys the database confirmed
-- and forget one when they hear of its revocation (store/KnownKeys.java, docs/ARCHITECTURE.md).

CREATE FUNCTION api_keys_announce_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_key_revoked', NEW.key_id);
  RETURN NULL;
END $$;

-- api_keys_revoke_only lets no other UPDATE through, so every row updated here has just been revoked.
CREATE TRIGGER api_keys_announce_revocation AFTER UPDATE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_announce_revocation();
