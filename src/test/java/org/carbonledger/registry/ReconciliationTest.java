package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ReconciliationTest checks the matching rule's order on small tables, without a database: exact matches are
 * taken before mismatches, referenced items before unreferenced ones, and ties go to the lowest seq.
 */
class ReconciliationTest {

  private static StatementMovement out(long seq, String to, long units, String reference) {
    return new StatementMovement(seq, Instant.EPOCH, StatementMovement.Kind.TRANSFERRED_OUT, to, -units,
        List.of(new SerialRange(seq * 1000 + 1, seq * 1000 + units)), reference, new byte[32]);
  }

  private static Reconciliation.Expected expected(int index, String reference, String counterpart, long quantity) {
    return new Reconciliation.Expected(index, reference, counterpart, quantity);
  }

  @Test
  void aReferenceUsedTwicePairsEachItemWithTheMovementThatAgrees() {
    List<StatementMovement> registry = List.of(out(1, "B", 100, "R"), out(2, "B", 50, "R"));
    // The first item agrees with seq 2 only; taking seq 1 as its mismatch would leave the second item unmatched.
    Reconciliation result = Reconciliation.of(registry, List.of(expected(0, "R", "B", -50), expected(1, "R", "B", -100)));
    assertEquals(List.of(2L, 1L), result.matched().stream().map(match -> match.movement().seq()).toList());
    assertEquals(true, result.balanced());
  }

  @Test
  void aReferencedTradeIsNotTakenByAnUnreferencedExpectation() {
    List<StatementMovement> registry = List.of(out(1, "B", 10, "R"), out(2, "B", 10, null));
    Reconciliation result = Reconciliation.of(registry, List.of(expected(0, null, "B", -10), expected(1, "R", "B", -10)));
    assertEquals(List.of(2L, 1L), result.matched().stream().map(match -> match.movement().seq()).toList());
  }

  @Test
  void leftoversAreMismatchedByReferenceThenMissingThenUnexpected() {
    List<StatementMovement> registry = List.of(out(1, "B", 10, "R"), out(2, "C", 10, "S"), out(3, "B", 5, null));
    Reconciliation result = Reconciliation.of(registry, List.of(expected(0, "R", "C", -11), expected(1, "X", "B", -10),
        expected(2, null, "B", -6)));
    assertEquals(1, result.mismatched().size());
    assertEquals(Set.of(Reconciliation.Difference.QUANTITY, Reconciliation.Difference.COUNTERPART), result.mismatched().get(0).differences());
    assertEquals(List.of(1, 2), result.missingInRegistry().stream().map(Reconciliation.Expected::index).toList());
    assertEquals(List.of(2L, 3L), result.unexpectedInRegistry().stream().map(StatementMovement::seq).toList());
  }
}
