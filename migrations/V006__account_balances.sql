-- Active units per account, kept with the blocks they sum: a balance is one primary-key read however many
-- blocks an account holds. Every account has a row from its opening (RegistryProjector); each batch adds its
-- net change per account in the same transaction as its blocks (ProjectionBatch). The CHECK refuses a negative
-- balance, so a projection bug fails its batch rather than record one.

-- The sequencer's lock (LogWriter.SEQUENCER_LOCK_KEY), held to the migration's commit: no batch of a server still
-- running can commit between the backfill's read of the blocks and the commit. (Servers of the build before
-- this one do not keep balances: stop them before starting this build; README, Upgrading.)
SELECT pg_advisory_xact_lock(4846245118259121223);

CREATE TABLE account_balances (
  account_id text   PRIMARY KEY REFERENCES accounts,
  active     bigint NOT NULL CHECK (active >= 0)
);

INSERT INTO account_balances (account_id, active)
SELECT a.account_id,
       coalesce((SELECT sum(b.serial_end - b.serial_start + 1) FROM blocks b
                  WHERE b.account_id = a.account_id AND b.state = 'ACTIVE'), 0)
  FROM accounts a;
