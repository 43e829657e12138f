package org.carbonledger.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reconciliation compares the movements an exchange expects for an account and window with the movements of
 * the registry's statement for it. Each registry movement and each expected item is used at most once:
 *
 * <ol>
 *   <li>Expected items with a reference, in the order given, take the first unused registry movement by seq
 *       whose transfer reference, quantity and counterpart are all the same ({@link #matched}).</li>
 *   <li>Expected items with a reference still unmatched, in the order given, take the first unused registry
 *       movement by seq with that reference ({@link #mismatched}, with what differs); else none
 *       ({@link #missingInRegistry}).</li>
 *   <li>Expected items without a reference, in the order given, take the first unused registry movement by
 *       seq with the same quantity and counterpart ({@link #matched}); else none ({@link #missingInRegistry}).</li>
 *   <li>Registry movements left unused are {@link #unexpectedInRegistry}.</li>
 * </ol>
 *
 * <p>Counterparts compare exactly, and an absent counterpart means "none": issuances, retirements and
 * cancellations have no counterpart. Exact matches are taken before mismatches, so when a reference is used
 * twice each item pairs with the movement that agrees with it; referenced items go first, so a referenced
 * trade is never taken by an unreferenced expectation that happens to have the same terms.
 */
public record Reconciliation(List<Match> matched, List<Mismatch> mismatched, List<Expected> missingInRegistry,
                             List<StatementMovement> unexpectedInRegistry) {

  /** Expected is one movement the exchange expects; {@code index} is its position in the list it sent (from 0). */
  public record Expected(int index, String reference, String counterpartAccountId, long quantity) {}

  /** Match is an expected item and the registry movement that agrees with it. */
  public record Match(Expected expected, StatementMovement movement) {}

  /** Difference is a field on which an expected item and the registry movement with its reference disagree. */
  public enum Difference {
    /** The signed quantity differs. */
    QUANTITY,
    /** The counterpart account differs. */
    COUNTERPART
  }

  /** Mismatch is an expected item, the registry movement with the same reference, and what differs. */
  public record Mismatch(Expected expected, StatementMovement movement, Set<Difference> differences) {}

  public Reconciliation {
    matched = List.copyOf(matched);
    mismatched = List.copyOf(mismatched);
    missingInRegistry = List.copyOf(missingInRegistry);
    unexpectedInRegistry = List.copyOf(unexpectedInRegistry);
  }

  /** True when every expected item matched and the registry has nothing else. */
  public boolean balanced() {
    return mismatched.isEmpty() && missingInRegistry.isEmpty() && unexpectedInRegistry.isEmpty();
  }

  /**
   * Reconciles {@code expected} against {@code movements} (in seq order) by the rule in the class comment. Each
   * lookup is a queue per key, so the work is linear in both lists even when many items share a reference.
   */
  public static Reconciliation of(List<StatementMovement> movements, List<Expected> expected) {
    boolean[] used = new boolean[movements.size()];
    Map<List<Object>, Deque<Integer>> byTerms = new HashMap<>();
    Map<List<Object>, Deque<Integer>> byReferenceAndTerms = new HashMap<>();
    Map<String, Deque<Integer>> byReference = new HashMap<>();
    for (int i = 0; i < movements.size(); i++) {
      StatementMovement movement = movements.get(i);
      byTerms.computeIfAbsent(terms(movement.counterpartAccountId(), movement.quantity()), key -> new ArrayDeque<>()).add(i);
      if (movement.reference() != null) {
        byReference.computeIfAbsent(movement.reference(), key -> new ArrayDeque<>()).add(i);
        byReferenceAndTerms.computeIfAbsent(referenced(movement.reference(), movement.counterpartAccountId(), movement.quantity()),
            key -> new ArrayDeque<>()).add(i);
      }
    }
    List<Match> matched = new ArrayList<>();
    List<Mismatch> mismatched = new ArrayList<>();
    List<Expected> missing = new ArrayList<>();
    List<Expected> unmatched = new ArrayList<>();
    for (Expected item : expected) {
      if (item.reference() == null) {
        continue;
      }
      int exact = take(byReferenceAndTerms.get(referenced(item.reference(), item.counterpartAccountId(), item.quantity())), used);
      if (exact >= 0) {
        matched.add(new Match(item, movements.get(exact)));
      } else {
        unmatched.add(item);
      }
    }
    for (Expected item : unmatched) {
      int found = take(byReference.get(item.reference()), used);
      if (found < 0) {
        missing.add(item);
      } else {
        mismatched.add(new Mismatch(item, movements.get(found), differences(item, movements.get(found))));
      }
    }
    for (Expected item : expected) {
      if (item.reference() != null) {
        continue;
      }
      int found = take(byTerms.get(terms(item.counterpartAccountId(), item.quantity())), used);
      if (found < 0) {
        missing.add(item);
      } else {
        matched.add(new Match(item, movements.get(found)));
      }
    }
    List<StatementMovement> unexpected = new ArrayList<>();
    for (int i = 0; i < movements.size(); i++) {
      if (!used[i]) {
        unexpected.add(movements.get(i));
      }
    }
    // The steps fill the lists out of input order; report them in the order the exchange sent.
    matched.sort(Comparator.comparingInt(match -> match.expected().index()));
    mismatched.sort(Comparator.comparingInt(mismatch -> mismatch.expected().index()));
    missing.sort(Comparator.comparingInt(Expected::index));
    return new Reconciliation(matched, mismatched, missing, unexpected);
  }

  private static List<Object> terms(String counterpartAccountId, long quantity) {
    return Arrays.asList(counterpartAccountId, quantity);
  }

  private static List<Object> referenced(String reference, String counterpartAccountId, long quantity) {
    return Arrays.asList(reference, counterpartAccountId, quantity);
  }

  /** The first index of {@code queue} not used yet, now marked used; -1 if none. Used indexes are dropped for good. */
  private static int take(Deque<Integer> queue, boolean[] used) {
    while (queue != null && !queue.isEmpty()) {
      int index = queue.poll();
      if (!used[index]) {
        used[index] = true;
        return index;
      }
    }
    return -1;
  }

  private static Set<Difference> differences(Expected item, StatementMovement movement) {
    Set<Difference> differences = EnumSet.noneOf(Difference.class);
    if (item.quantity() != movement.quantity()) {
      differences.add(Difference.QUANTITY);
    }
    if (!Objects.equals(item.counterpartAccountId(), movement.counterpartAccountId())) {
      differences.add(Difference.COUNTERPART);
    }
    return differences;
  }
}
