package org.carbonledger.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.Hex;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.RegistryState;

/**
 * VerifyResult describes a log that passed every check: its checkpoint, how much was checked and how long it
 * took, and, with a state file, the size the previous run had saved there.
 *
 * @param checkpoint       the verified checkpoint
 * @param signedCheckpoint the checkpoint note exactly as the log served it
 * @param stateFile        the state file, when one was used; it now holds signedCheckpoint
 * @param savedSize        the size of the checkpoint the state file held before this run, if it held one
 * @param bundleCount      entry bundles downloaded and checked
 * @param tileCount        hash tiles compared with the entries
 * @param elapsed          wall time of the whole run
 * @param registry         the registry the entries built, when they were replayed for it
 */
public record VerifyResult(Checkpoint checkpoint, String signedCheckpoint, Optional<Path> stateFile,
    OptionalLong savedSize, long bundleCount, long tileCount, Duration elapsed, Optional<RegistryState> registry) {

  public long size() {
    return checkpoint.size();
  }

  /** Entries checked per second of wall time. */
  public double entriesPerSecond() {
    return checkpoint.size() / (Math.max(elapsed.toNanos(), 1) / 1e9);
  }

  /**
   * A short report: origin, size, root and speed, a line about the replayed registry when it was replayed, and
   * one about the state file when one was used.
   */
  public String summary() {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "verified %s: size %d, root %s%n  entries %d, bundles %d, tiles %d, in %.1f s (%.0f entries/s)%n",
        checkpoint.origin(), checkpoint.size(), Hex.encode(checkpoint.rootHash()), checkpoint.size(), bundleCount,
        tileCount, elapsed.toMillis() / 1000.0, entriesPerSecond()));
    registry.ifPresent(replayed -> out.append(registryLine(replayed)).append(System.lineSeparator()));
    if (stateFile.isPresent()) {
      out.append(savedSize.isPresent()
          ? "  state: consistent with the saved checkpoint at size " + savedSize.getAsLong()
          : "  state: no saved checkpoint yet");
      out.append("; saved size ").append(checkpoint.size()).append(" to ").append(stateFile.get())
          .append(System.lineSeparator());
    }
    return out.toString();
  }

  private static String registryLine(RegistryState registry) {
    List<Block> blocks = registry.blocks();
    long[] units = RegistryCsv.unitsByState(blocks);
    return String.format(Locale.ROOT, "  registry: %d accounts, %d issuances, %d blocks: %d units active, %d retired, %d cancelled",
        registry.accounts().size(), registry.issuances().size(), blocks.size(), units[BlockState.ACTIVE.ordinal()],
        units[BlockState.RETIRED.ordinal()], units[BlockState.CANCELLED.ordinal()]);
  }
}
