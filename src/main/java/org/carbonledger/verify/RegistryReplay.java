package org.carbonledger.verify;

import java.util.Set;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.RegistryState;

/**
 * RegistryReplay rebuilds the registry from the log's entries, in log order, with the registry's own state
 * transitions ({@link RegistryState#apply}, the same code the server replays at start): every account, project,
 * issuance and block of serials, and so every balance and every unit's status. An entry that does not fit the
 * registry as the entries before it left it (units issued twice, units moved or retired that are not held and
 * active, ids out of sequence, data that does not read strictly) is reported at its seq, and so is an entry of a
 * type the registry does not write.
 *
 * <p>Not re-checked here, as they concern the command rather than the state: text lengths, CORSIA eligibility
 * and the NDC authorisation of retirements (docs/REGISTRY.md). The state grows with the registry (accounts and
 * blocks), not with the length of the log.
 */
final class RegistryReplay {

  private static final Set<String> REGISTRY_TYPES = Set.copyOf(EntryTypes.ALL);

  private final RegistryState registry = new RegistryState();

  /** Applies entry {@code seq}, which the chain check has passed; entry 0 names the log and changes nothing. */
  void apply(long seq, LedgerEntry entry) throws VerificationException {
    if (seq == 0) {
      return;
    }
    if (!REGISTRY_TYPES.contains(entry.type())) {
      throw VerificationException.atEntry(VerificationException.Code.ENTRY_TYPE_UNKNOWN, seq,
          "type " + entry.type() + " is not a registry entry type");
    }
    try {
      registry.apply(entry.type(), entry.data());
    } catch (IllegalStateException e) {
      throw VerificationException.atEntry(VerificationException.Code.ENTRY_DOES_NOT_FIT, seq,
          entry.type() + " does not fit the registry: " + e.getMessage());
    }
  }

  /** The registry as the entries applied so far left it. */
  RegistryState registry() {
    return registry;
  }
}
