-- Raises the error of a projection that does not match the log, for statements that check their own results.
-- The writer sends a batch's COMMIT without waiting for its statements (LogWriter): a check made by the server
-- after a statement answered would come after that COMMIT, so a batch's checks must fail in the database,
-- aborting the transaction that the COMMIT then rolls back.
CREATE FUNCTION ledger_projection_mismatch(detail text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the projection does not match the log: %', detail
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
