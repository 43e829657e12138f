package org.carbonledger.verify;

import java.util.Optional;
import java.util.Set;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.registry.DoubleClaimAudit;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.RegistryState;

/**
 * RegistryReplay rebuilds the registry from the log's entries, in log order, with the registry's own state
 * transitions ({@link RegistryState#apply}, the same code the server replays at start): every account, project,
 * issuance and block of serials, and so every balance and every unit's status.
 *
 * <p>The first entry that does not fit the registry as the entries before it left it (units issued twice, units
 * moved or retired that are not held and active, ids out of sequence, data that does not read strictly), or
 * whose type the registry does not write, is remembered and the replay stops there; {@link #misfit} reports it
 * only once every check of the log itself has passed. So a log that was edited, or rewritten with its chain
 * recomputed, is reported for that (a prev, the root, a tile, the saved checkpoint), not for the registry's rules.
 *
 * <p>A retirement must also claim no units twice over ({@link DoubleClaimAudit}: CORSIA and foreign NDC use of
 * units not authorised or not adjusted for it). Not re-checked here: text lengths and the other claim rules of
 * retirements, which concern the command rather than the state or came later (docs/REGISTRY.md). Entries are decoded one at a time, so memory grows
 * with the registry (accounts and blocks), not with the log or the size of its entries.
 */
final class RegistryReplay {

  private static final Set<String> REGISTRY_TYPES = Set.copyOf(EntryTypes.ALL);

  private final RegistryState registry = new RegistryState();
  private VerificationException misfit;

  /** Applies entry {@code seq}, whose bytes the chain check has passed; entry 0 names the log and changes nothing. */
  void apply(long seq, byte[] entryBytes) {
    if (seq == 0 || misfit != null) {
      return;
    }
    LedgerEntry entry = EntryCodec.decode(entryBytes);
    if (!REGISTRY_TYPES.contains(entry.type())) {
      misfit = VerificationException.atEntry(VerificationException.Code.ENTRY_TYPE_UNKNOWN, seq,
          "type " + entry.type() + " is not a registry entry type");
      return;
    }
    Optional<String> doubleClaim = entry.type().equals(EntryTypes.UNITS_RETIRED)
        ? DoubleClaimAudit.of(registry, entry.data()) : Optional.empty();
    if (doubleClaim.isPresent()) {
      misfit = VerificationException.atEntry(VerificationException.Code.ENTRY_DOUBLE_CLAIM, seq,
          "UNITS_RETIRED claims units twice over: " + doubleClaim.get());
      return;
    }
    try {
      registry.apply(entry.type(), entry.data());
    } catch (IllegalStateException e) {
      misfit = VerificationException.atEntry(VerificationException.Code.ENTRY_DOES_NOT_FIT, seq,
          entry.type() + " does not fit the registry: " + e.getMessage());
    }
  }

  /** The first entry that did not fit, if one did; the registry is then as the entries before it left it. */
  Optional<VerificationException> misfit() {
    return Optional.ofNullable(misfit);
  }

  /** The registry as the entries applied so far left it. */
  RegistryState registry() {
    return registry;
  }
}
