-- The ledger: entries, the hashes of complete Merkle subtrees, and signed checkpoints.
-- All three tables are append-only; see docs/LEDGER-FORMAT.md for what the bytes mean.

-- One row per entry. `body` is the entry exactly as hashed (RFC 8785 canonical JSON); every other
-- column is derived from it and only there to index and check it.
CREATE TABLE entries (
  seq        bigint      PRIMARY KEY CHECK (seq >= 0),
  leaf_hash  bytea       NOT NULL UNIQUE CHECK (octet_length(leaf_hash) = 32),
  prev_hash  bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
  type       text        NOT NULL,
  entry_time timestamptz NOT NULL,
  body       bytea       NOT NULL CHECK (octet_length(body) BETWEEN 2 AND 65535)
);
CREATE INDEX entries_type_seq ON entries (type, seq);
CREATE INDEX entries_time ON entries (entry_time);

-- Hash of every complete subtree of height >= 1: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level). Level 0 (the leaves) is entries.leaf_hash.
CREATE TABLE tree_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 63),
  idx   bigint   NOT NULL CHECK (idx >= 0),
  hash  bytea    NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- Every checkpoint the log signed; at most one per tree size.
CREATE TABLE checkpoints (
  tree_size   bigint      PRIMARY KEY CHECK (tree_size >= 1),
  root_hash   bytea       NOT NULL CHECK (octet_length(root_hash) = 32),
  signed_note text        NOT NULL,
  signed_at   timestamptz NOT NULL DEFAULT now()
);

-- Rows of the ledger are never changed or removed, whoever asks.
CREATE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER tree_nodes_append_only BEFORE UPDATE OR DELETE ON tree_nodes
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER tree_nodes_no_truncate BEFORE TRUNCATE ON tree_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- An entry must continue the chain: its seq is the next one, its prev_hash is the leaf hash of the entry
-- before (32 zero bytes for seq 0), its leaf_hash is SHA-256(0x00 || body), and the seq and prev written
-- inside the body agree with the columns. So even a second writer or a bug cannot fork or gap the log.
-- Rows inserted earlier by the same statement are visible here, so multi-row inserts are checked in order.
CREATE FUNCTION entries_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq  bigint;
  head_hash bytea;
  body_json jsonb;
BEGIN
  SELECT seq, leaf_hash INTO head_seq, head_hash FROM entries ORDER BY seq DESC LIMIT 1;
  IF head_seq IS NULL THEN
    head_seq := -1;
    head_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  END IF;
  IF NEW.seq <> head_seq + 1 THEN
    RAISE EXCEPTION 'ledger chain: entry seq % does not follow the head seq %', NEW.seq, head_seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.prev_hash <> head_hash THEN
    RAISE EXCEPTION 'ledger chain: entry % prev_hash is not the leaf hash of entry %', NEW.seq, head_seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.leaf_hash <> sha256('\x00'::bytea || NEW.body) THEN
    RAISE EXCEPTION 'ledger chain: entry % leaf_hash is not SHA-256(0x00 || body)', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  body_json := convert_from(NEW.body, 'UTF8')::jsonb;
  IF (body_json ->> 'seq') IS DISTINCT FROM NEW.seq::text
     OR (body_json ->> 'prev') IS DISTINCT FROM encode(NEW.prev_hash, 'hex')
     OR (body_json ->> 'type') IS DISTINCT FROM NEW.type THEN
    RAISE EXCEPTION 'ledger chain: entry % body disagrees with its seq, prev or type column', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER entries_chain BEFORE INSERT ON entries
  FOR EACH ROW EXECUTE FUNCTION entries_check_chain();
