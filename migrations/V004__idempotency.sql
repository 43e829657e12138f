-- Safe retries, and searching transfers.
--
-- Idempotency keys: a client's promise that two requests with the same key are one request. A row is written
-- by the writer in the same transaction as the entries it names, so a crash can never keep one without the
-- other; a rejected command writes no row, so its retry is evaluated again. Keys are operational data, not
-- registry state: they are not in the ledger and a projection rebuild neither needs nor touches them.
--
-- Retention: kept for ever in this version (about 150 bytes a row). A repeat of a key at any later time
-- gets the original answer, never a second entry. See docs/API.md, "Safe retries: idempotency keys".

CREATE TABLE idempotency_keys (
  -- The API key (principal) that sent the request: keys are unique per principal, not globally.
  principal_id    text        NOT NULL,
  idempotency_key text        NOT NULL CHECK (idempotency_key ~ '^[ -~]{1,100}$'),
  -- SHA-256 of the canonical JSON of the mutation's name and input without the key: what "the same request" means.
  request_hash    bytea       NOT NULL CHECK (octet_length(request_hash) = 32),
  -- The entries the request wrote: first_seq .. first_seq + entry_count - 1 (a settlement writes several).
  -- No foreign key to entries: the writer inserts both in one transaction, and a reference would make a
  -- TRUNCATE of entries fail on the reference instead of on the ledger's own refusal (LedgerTablesTest).
  first_seq       bigint      NOT NULL CHECK (first_seq >= 0),
  entry_count     integer     NOT NULL CHECK (entry_count >= 1),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal_id, idempotency_key)
);

-- The answer a key stands for never changes: a row is inserted once and never edited. DELETE stays possible
-- only so that a later version can add a documented purge; nothing in this version deletes.
CREATE FUNCTION idempotency_keys_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'idempotency keys are only ever inserted: this % on idempotency_keys is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER idempotency_keys_insert_only BEFORE UPDATE ON idempotency_keys
  FOR EACH ROW EXECUTE FUNCTION idempotency_keys_insert_only();

-- Transfers are searched by either account (the `transfers` query); the reference already has its index (V002).
CREATE INDEX transfers_from_account ON transfers (from_account, seq);
CREATE INDEX transfers_to_account ON transfers (to_account, seq);
