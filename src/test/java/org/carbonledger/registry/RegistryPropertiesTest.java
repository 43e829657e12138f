package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.carbonledger.ledger.CanonicalJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Goal: whatever sequence of commands arrives, valid or not, the registry keeps its guarantees: no serial in two
 * blocks, the blocks of each issuance cover exactly its range, issued = active + retired + cancelled, retired and
 * cancelled units never change, frozen accounts' units never move (but for the registry's invalidation), a
 * rejected command changes nothing, and the memory snapshot's candidate blocks are exactly what a naive scan of
 * the contract gives. Method: jqwik runs
 * sequences of 200 random commands (RandomCommands) through snapshotFor, decide and apply (the entry travelling
 * through canonical JSON, as the store reads it back), against {@link ReferenceModel}, a map serial to holder and
 * state built unit by unit.
 */
class RegistryPropertiesTest {

  private static final int COMMANDS = 200;

  @Provide
  Arbitrary<List<List<Integer>>> sequences() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(RandomCommands.CHOICES)
        .list().ofSize(COMMANDS);
  }

  @Property(tries = 200)
  void guaranteesHoldForRandomCommandSequences(@ForAll("sequences") List<List<Integer>> sequence) {
    RegistryState state = new RegistryState();
    ReferenceModel model = new ReferenceModel();
    for (Command command : RandomCommands.setup()) {
      step(state, model, command);
    }
    for (List<Integer> choices : sequence) {
      step(state, model, RandomCommands.from(state, choices));
      assertBlocksCoverIssuances(state);
      model.assertMatches(state);
    }
  }

  /**
   * The generator is worth running: with a fixed seed, a good share of commands is accepted and every entry type
   * occurs, so the property above exercises real transitions, not only rejections.
   */
  @Example
  void generatorReachesEveryEntryType() {
    Random random = new Random(20240311);
    RegistryState state = new RegistryState();
    ReferenceModel model = new ReferenceModel();
    RandomCommands.setup().forEach(command -> step(state, model, command));
    Set<String> types = new TreeSet<>();
    int accepted = 0;
    for (int i = 0; i < 5 * COMMANDS; i++) {
      List<Integer> choices = new ArrayList<>();
      for (int c = 0; c < RandomCommands.CHOICES; c++) {
        choices.add(random.nextInt(Integer.MAX_VALUE));
      }
      Command command = RandomCommands.from(state, choices);
      if (step(state, model, command)) {
        accepted++;
        types.add(command.kind().entryType());
      }
    }
    assertEquals(new TreeSet<>(EntryTypes.ALL), types);
    assertTrue(accepted > 5 * COMMANDS / 4, accepted + " accepted of " + 5 * COMMANDS);
    model.assertMatches(state);
  }

  /** Runs one command; returns true if it was accepted. */
  @SuppressWarnings("unchecked")
  private static boolean step(RegistryState state, ReferenceModel model, Command command) {
    if (command instanceof Transfer transfer) {
      assertEquals(naiveCandidates(state, transfer.fromAccountId(), transfer.selection(), view -> true),
          state.snapshotFor(transfer).candidates(), "snapshot candidates differ from the contract");
    } else if (command instanceof Retire retire) {
      assertEquals(naiveCandidates(state, retire), state.snapshotFor(retire).candidates(),
          "retirement candidates differ from the contract");
    }
    RegistryContents before = state.contents();
    Decision decision = state.decide(command);
    assertEquals(before, state.contents(), "deciding changed the state");
    if (decision instanceof Decision.Rejected) {
      return false;
    }
    Decision.Accepted accepted = assertInstanceOf(Decision.Accepted.class, decision);
    Map<String, Object> data = (Map<String, Object>) CanonicalJson.parse(CanonicalJson.encode(accepted.data()));
    state.apply(accepted.entryType(), data);
    model.apply(accepted.entryType(), data);
    return true;
  }

  /** Blocks never overlap, and those of each issuance tile exactly its serials. */
  private static void assertBlocksCoverIssuances(RegistryState state) {
    List<Block> blocks = state.blocks();
    for (int i = 1; i < blocks.size(); i++) {
      assertTrue(blocks.get(i - 1).end() < blocks.get(i).start(), "blocks overlap at " + blocks.get(i).start());
    }
    for (Issuance issuance : state.issuances()) {
      long next = issuance.serialStart();
      long active = 0;
      long used = 0;
      for (Block block : blocks) {
        if (block.issuanceId().equals(issuance.issuanceId())) {
          assertEquals(next, block.start(), "gap in " + issuance.issuanceId());
          next = block.end() + 1;
          if (block.state() == BlockState.ACTIVE) {
            active += block.size();
          } else {
            used += block.size();
          }
        }
      }
      assertEquals(issuance.serialEnd() + 1, next, "blocks of " + issuance.issuanceId() + " stop short");
      assertEquals(issuance.quantity(), active + used, "quantity of " + issuance.issuanceId() + " not conserved");
    }
  }

  /** The BlockView contract for a retirement: a claim by quantity skips what it may not claim, if it can. */
  private static List<BlockView> naiveCandidates(RegistryState state, Retire retire) {
    List<BlockView> plain = naiveCandidates(state, retire.accountId(), retire.selection(), view -> true);
    if (!(retire.selection() instanceof UnitSelection.ByQuantity q) || !RetirementRules.checksClaims(retire)) {
      return plain;
    }
    List<BlockView> claimable = naiveCandidates(state, retire.accountId(), q, view -> RetirementRules.claimCodes(retire,
        view.issuance(), state.project(view.issuance().projectId()).orElseThrow(),
        view.issuance().authorisationId() == null ? null
            : state.authorisation(view.issuance().authorisationId()).orElseThrow()).isEmpty());
    long claimableQuantity = claimable.stream().mapToLong(view -> view.block().size()).sum();
    return claimableQuantity >= q.quantity() || claimable.size() > Limits.BLOCKS_PER_ENTRY_MAX ? claimable : plain;
  }

  /**
   * The BlockView contract, implemented the slow and obvious way over all blocks; by quantity, only the blocks
   * {@code usable} accepts count.
   */
  private static List<BlockView> naiveCandidates(RegistryState state, String accountId, UnitSelection selection,
      Predicate<BlockView> usable) {
    List<BlockView> out = new ArrayList<>();
    int max = Limits.BLOCKS_PER_ENTRY_MAX + 1;
    if (selection instanceof UnitSelection.Ranges r) {
      for (Block block : state.blocks()) {
        boolean overlaps = r.ranges().stream().anyMatch(range -> range.isWellFormed() && range.overlaps(block.range()));
        if (overlaps && out.size() < max) {
          out.add(new BlockView(block, state.issuance(block.issuanceId()).orElseThrow()));
        }
      }
      return out;
    }
    UnitSelection.ByQuantity q = (UnitSelection.ByQuantity) selection;
    if (q.quantity() < 1) {
      return out;
    }
    List<BlockView> matching = new ArrayList<>();
    for (Block block : state.blocks()) {
      Issuance issuance = state.issuance(block.issuanceId()).orElseThrow();
      BlockView view = new BlockView(block, issuance);
      if (block.accountId().equals(accountId) && block.state() == BlockState.ACTIVE && q.matches(issuance)
          && usable.test(view)) {
        matching.add(view);
      }
    }
    matching.sort(Comparator.comparingInt((BlockView v) -> v.issuance().vintage())
        .thenComparingLong(v -> v.block().start()));
    long covered = 0;
    for (BlockView view : matching) {
      if (covered >= q.quantity() || out.size() == max) {
        break;
      }
      out.add(view);
      covered += view.block().size();
    }
    return out;
  }
}
