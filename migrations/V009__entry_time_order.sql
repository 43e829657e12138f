-- Entry times never go backwards, and the entry_time column is the time written in the body: statements and
-- feeds select entries by entry_time on both promises, and a verifier checks the first in the bodies
-- (docs/LEDGER-FORMAT.md section 3). The writer always kept them; now the database refuses a row that breaks
-- either, as it refuses one that breaks the chain. The body's time has the fixed form
-- yyyy-MM-ddTHH:mm:ss.SSSSSSZ, which to_char writes for the column's instant in UTC.
CREATE OR REPLACE FUNCTION entries_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq  bigint;
  head_hash bytea;
  head_time timestamptz;
  body_json jsonb;
BEGIN
  SELECT seq, leaf_hash, entry_time INTO head_seq, head_hash, head_time FROM entries ORDER BY seq DESC LIMIT 1;
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
  IF NOT isfinite(NEW.entry_time) THEN
    RAISE EXCEPTION 'ledger chain: entry % entry_time is not a finite time', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.entry_time < head_time THEN
    RAISE EXCEPTION 'ledger chain: entry % entry_time % is before the time of entry %', NEW.seq, NEW.entry_time, head_seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.leaf_hash <> sha256('\x00'::bytea || NEW.body) THEN
    RAISE EXCEPTION 'ledger chain: entry % leaf_hash is not SHA-256(0x00 || body)', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  body_json := convert_from(NEW.body, 'UTF8')::jsonb;
  IF (body_json ->> 'seq') IS DISTINCT FROM NEW.seq::text
     OR (body_json ->> 'prev') IS DISTINCT FROM encode(NEW.prev_hash, 'hex')
     OR (body_json ->> 'type') IS DISTINCT FROM NEW.type
     OR (body_json ->> 'time') IS DISTINCT FROM
        to_char(NEW.entry_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') THEN
    RAISE EXCEPTION 'ledger chain: entry % body disagrees with its seq, prev, type or entry_time column', NEW.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
