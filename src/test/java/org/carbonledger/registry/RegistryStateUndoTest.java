package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Goal: {@link RegistryState#rollbackTo} puts the state back exactly as it was at the mark, through every kind of
 * entry (the writer relies on it when a group is rejected or a batch does not commit). Method: random command
 * sequences (RandomCommands) run under nested marks; after each rollback the state must equal a copy taken at the
 * mark, in its contents and in how it decides every later command (which also covers the internal indexes: ids
 * in sequence, issuances per project, quantity issued per authorisation, the next free serial).
 */
class RegistryStateUndoTest {

  private static final int COMMANDS = 150;

  @Test
  void rollingBackToAMarkRestoresTheStateExactly() {
    for (long seed = 1; seed <= 6; seed++) {
      Random random = new Random(seed);
      RegistryState state = new RegistryState();
      RandomCommands.setup().forEach(state::execute);
      runRandom(state, random, COMMANDS); // some history before the marks

      RegistryState atOuter = state.copy();
      int outer = state.mark();
      int acceptedOuter = runRandom(state, random, COMMANDS / 2);
      RegistryState atInner = state.copy();
      int inner = state.mark();
      int acceptedInner = runRandom(state, random, COMMANDS / 2);
      assertTrue(acceptedOuter >= 5 && acceptedInner >= 5, "seed " + seed + ": the sequences changed the state");

      state.rollbackTo(inner);
      assertSame(atInner, state, random, "seed " + seed + " inner mark");
      state.rollbackTo(outer);
      assertSame(atOuter, state, random, "seed " + seed + " outer mark");
      state.release();
    }
  }

  @Test
  void aReleasedStateKeepsItsChangesAndHasNoMarkToRollBackTo() {
    RegistryState state = new RegistryState();
    int mark = state.mark();
    RandomCommands.setup().forEach(state::execute);
    runRandom(state, new Random(7), 40);
    RegistryState kept = state.copy();
    state.release();
    assertThrows(IllegalStateException.class, () -> state.rollbackTo(mark));
    assertEquals(kept.contents(), state.contents(), "release keeps every change");
  }

  /** Runs {@code count} random commands (accepted ones are applied); returns how many were accepted. */
  private static int runRandom(RegistryState state, Random random, int count) {
    int accepted = 0;
    for (int i = 0; i < count; i++) {
      if (state.execute(RandomCommands.from(state, choices(random))) instanceof Decision.Accepted) {
        accepted++;
      }
    }
    return accepted;
  }

  /**
   * Same contents, and the same decision and contents after each of a run of later commands. The later commands
   * run on {@code actual} itself, not a copy (a copy rebuilds the indexes, which would hide a broken one); they
   * are recorded under the open mark, so the caller's next rollback undoes them too.
   */
  private static void assertSame(RegistryState expected, RegistryState actual, Random random, String what) {
    assertEquals(expected.contents(), actual.contents(), what + ": contents");
    assertEquals(expected.balances(), actual.balances(), what + ": balances");
    assertEquals(expected.nextFreeSerial(), actual.nextFreeSerial(), what + ": next free serial");
    RegistryState expectedCopy = expected.copy();
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < COMMANDS; i++) {
      Command command = RandomCommands.from(expectedCopy, choices(random));
      Decision wanted = expectedCopy.execute(command);
      assertEquals(wanted, actual.execute(command), what + ": decision of later command " + i + " " + command.kind());
      outcomes.add(wanted instanceof Decision.Accepted ? "accepted" : "rejected");
    }
    assertTrue(outcomes.contains("accepted"), what + ": the later commands got somewhere");
    assertEquals(expectedCopy.contents(), actual.contents(), what + ": contents after the later commands");
    Map<String, Long> balances = actual.balances();
    assertEquals(expectedCopy.balances(), balances, what + ": balances after the later commands");
  }

  private static List<Integer> choices(Random random) {
    List<Integer> choices = new ArrayList<>();
    for (int i = 0; i < RandomCommands.CHOICES; i++) {
      choices.add(random.nextInt(Integer.MAX_VALUE));
    }
    return choices;
  }
}
