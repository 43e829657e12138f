package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.carbonledger.store.WriterRegistryTest.ALICE;
import static org.carbonledger.store.WriterRegistryTest.BOB;
import static org.carbonledger.store.WriterRegistryTest.ISSUANCE;
import static org.carbonledger.store.WriterRegistryTest.transfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.carbonledger.registry.StatementMovement;
import org.carbonledger.store.StatementReader.Detail;
import org.junit.jupiter.api.Test;

/**
 * A statement is whole or refused: a window holding more of the account's movements than the caller allows fails
 * with TooManyMovementsException, never with the first movementsMax of them (docs/API.md).
 */
class StatementReaderTest {

  @Test
  void aWindowWithMoreMovementsThanAllowedIsRefusedNeverCutShort() {
    try (TestLedger log = TestLedger.open()) {
      WriterRegistryTest.setUp(log);
      long from = await(log.ledger.writer().append(transfer(ISSUANCE, ALICE, 1, 10))).seq();
      await(log.ledger.writer().append(transfer(ALICE, BOB, 1, 1)));
      long to = await(log.ledger.writer().append(transfer(ALICE, BOB, 2, 2))).seq();
      StatementReader reader = new StatementReader(log.pool);

      StatementReader.Statement exact = await(reader.statement(ALICE, from, to, 3, Detail.MOVEMENTS));
      assertEquals(List.of(from, from + 1, to), exact.movements().stream().map(StatementMovement::seq).toList());
      assertEquals(8, exact.closingBalance());

      assertThrows(StatementReader.TooManyMovementsException.class,
          () -> await(reader.statement(ALICE, from, to, 2, Detail.MOVEMENTS)));
      // Balances alone read no movements, so the cap does not apply to them.
      assertEquals(8, await(reader.statement(ALICE, from, to, 2, Detail.BALANCES)).closingBalance());
    }
  }
}
