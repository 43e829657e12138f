package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.carbonledger.registry.Ids;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.RandomCommands;
import org.junit.jupiter.api.Test;

/**
 * ProjectionBatchTest holds the batch's own checks to failing in the database: the writer sends a batch's COMMIT
 * without waiting for its statements, so a check made after a statement answered would come too late to stop
 * the commit.
 */
class ProjectionBatchTest {

  private static final String JCREDIT_ISSUANCE_ACCOUNT =
      "(SELECT account_id FROM accounts WHERE type = 'ISSUANCE' AND program = 'JCREDIT')";

  @Test
  void aBatchMeetingAnAccountWithoutItsBalanceRowCommitsNothing() throws Exception {
    try (TestLedger log = TestLedger.open()) {
      RandomCommands.setup().forEach(command -> await(log.ledger.writer().append(new RegistryCommand(command))));
      LogWriterTest.execute(log, "DELETE FROM account_balances WHERE account_id = " + JCREDIT_ISSUANCE_ACCOUNT);
      String before = RegistryDifferentialTest.fingerprint(log.pool);
      Issue issue = new Issue(Ids.format(Ids.Kind.PROJECT, 1), new Period(LocalDate.of(2021, 1, 1), LocalDate.of(2021, 3, 31)),
          2021, 10, "JCU", List.of(), null, null);

      Exception failure = assertThrows(Exception.class, () -> await(log.ledger.writer().append(new RegistryCommand(issue))));
      assertTrue(failure.getMessage().contains("the projection does not match the log: no balance row for the accounts"),
          failure.getMessage());
      assertEquals(before, RegistryDifferentialTest.fingerprint(log.pool), "nothing of the batch was committed");
      assertEquals(List.of(), LogWriterTest.transactionsLeftOpen(log));

      LogWriterTest.execute(log, "INSERT INTO account_balances SELECT account_id, 0 FROM accounts WHERE account_id = "
          + JCREDIT_ISSUANCE_ACCOUNT);
      long seq = await(log.ledger.writer().append(new RegistryCommand(issue))).seq();
      assertEquals(1 + RandomCommands.setup().size(), seq, "the writer went on from the log as it was");
      assertEquals(10L, await(log.pool.query("SELECT active FROM account_balances WHERE account_id = "
          + JCREDIT_ISSUANCE_ACCOUNT).execute()).iterator().next().getLong(0));
      LogWriterTest.assertLogIsSound(log);
    }
  }
}
