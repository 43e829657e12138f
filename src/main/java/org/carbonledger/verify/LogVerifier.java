package org.carbonledger.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.NoteVerifier;

/**
 * LogVerifier checks a whole log from what it publishes, trusting only the verifier key it is given (whose name
 * is the log's origin): the checkpoint's signature; every entry, decoded strictly and chained by seq and prev;
 * entry 0 naming this origin and key; the root recomputed from the entries; every hash tile of the checkpoint's
 * tree; with a {@link StateFile}, that the log only grew since the last run, both from the entries and by a
 * consistency proof from the tiles; and, unless told not to, that every entry fits the registry the entries
 * before it built ({@link RegistryReplay}), which gives every balance and every unit's status. The first failure
 * is thrown, a misfit only after every other check has passed; on success the new checkpoint is saved.
 *
 * <p>Bundles are streamed, and of the log only a compact range, one tile per level and a few bundles fetched
 * ahead are held; the replayed registry grows with the registry (its accounts and blocks).
 */
public final class LogVerifier {

  private final LogSource source;
  private final NoteVerifier key;
  private final Optional<StateFile> state;
  private final boolean replayRegistry;

  public LogVerifier(LogSource source, NoteVerifier key) {
    this(source, key, Optional.empty());
  }

  public LogVerifier(LogSource source, NoteVerifier key, Optional<StateFile> state) {
    this(source, key, state, true);
  }

  /** @param replayRegistry whether to rebuild the registry from the entries and check that each fits it */
  public LogVerifier(LogSource source, NoteVerifier key, Optional<StateFile> state, boolean replayRegistry) {
    this.source = source;
    this.key = key;
    this.state = state;
    this.replayRegistry = replayRegistry;
  }

  /**
   * Runs every check.
   *
   * @throws VerificationException at the first property that does not hold, including a resource that could
   *     not be fetched; the state file is then left as it was
   */
  public VerifyResult verify() throws VerificationException {
    long started = System.nanoTime();
    String signedNote = Checkpoints.text(Fetcher.now(source::checkpoint, "checkpoint"), "checkpoint");
    Checkpoint checkpoint = openCheckpoint(signedNote);
    Optional<Checkpoint> saved = state.isPresent() ? state.get().load(key) : Optional.empty();
    if (saved.isPresent()) {
      Continuity.checkOrder(saved.get(), checkpoint);
    }
    Optional<Checkpoint> older = saved.filter(s -> s.size() < checkpoint.size());
    long bundleCount;
    long tileCount;
    Optional<RegistryReplay> registry = replayRegistry ? Optional.of(new RegistryReplay()) : Optional.empty();
    try (Fetcher fetcher = new Fetcher(source, checkpoint.size())) {
      tileCount = new Replay(fetcher, key, checkpoint, older, registry).run();
      bundleCount = fetcher.bundleCount();
      if (older.isPresent()) {
        Continuity.checkProof(new TileProofs(fetcher, checkpoint.size()), older.get(), checkpoint);
      }
    }
    // Only now: an entry that does not fit counts only in the log the checkpoint signs, extending the saved one.
    if (registry.isPresent() && registry.get().misfit().isPresent()) {
      throw registry.get().misfit().get();
    }
    if (state.isPresent()) {
      state.get().save(signedNote);
    }
    return new VerifyResult(checkpoint, signedNote, state.map(StateFile::path),
        saved.map(s -> OptionalLong.of(s.size())).orElse(OptionalLong.empty()), bundleCount, tileCount,
        Duration.ofNanos(System.nanoTime() - started), registry.map(RegistryReplay::registry));
  }

  private Checkpoint openCheckpoint(String signedNote) throws VerificationException {
    try {
      return Checkpoints.open(signedNote, key, "checkpoint");
    } catch (VerificationException e) {
      if (e.code() != VerificationException.Code.CHECKPOINT_SIGNATURE_INVALID) {
        throw e;
      }
      Optional<String> published = publishedKey().filter(vkey -> !vkey.equals(key.vkey()));
      if (published.isEmpty()) {
        throw e;
      }
      throw new VerificationException(e.code(), e.getMessage() + " (the log publishes the key " + published.get() + ")",
          e);
    }
  }

  /**
   * The key the log publishes, if it is a well-formed vkey. Only to explain a signature failure: the user may
   * have been given an old or wrong key, or the log may have changed keys.
   */
  private Optional<String> publishedKey() {
    try {
      String text = new String(source.key(), StandardCharsets.UTF_8).trim();
      return Optional.of(NoteVerifier.parse(text).vkey());
    } catch (IOException | LedgerException e) {
      return Optional.empty(); // no better explanation to offer; the signature failure stands on its own
    }
  }
}
