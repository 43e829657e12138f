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
 * tree; and, with a {@link StateFile}, that the log only grew since the last run, both from the entries and by
 * a consistency proof from the tiles. The first failure is thrown; on success the new checkpoint is saved.
 *
 * <p>Memory stays bounded for any log size: bundles are streamed, and only a compact range, one tile per level
 * and a few bundles fetched ahead are held.
 */
public final class LogVerifier {

  private final LogSource source;
  private final NoteVerifier key;
  private final Optional<StateFile> state;

  public LogVerifier(LogSource source, NoteVerifier key) {
    this(source, key, Optional.empty());
  }

  public LogVerifier(LogSource source, NoteVerifier key, Optional<StateFile> state) {
    this.source = source;
    this.key = key;
    this.state = state;
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
    try (Fetcher fetcher = new Fetcher(source, checkpoint.size())) {
      tileCount = new Replay(fetcher, key, checkpoint, older).run();
      bundleCount = fetcher.bundleCount();
      if (older.isPresent()) {
        Continuity.checkProof(new TileProofs(fetcher, checkpoint.size()), older.get(), checkpoint);
      }
    }
    if (state.isPresent()) {
      state.get().save(signedNote);
    }
    return new VerifyResult(checkpoint, signedNote, state.map(StateFile::path),
        saved.map(s -> OptionalLong.of(s.size())).orElse(OptionalLong.empty()), bundleCount, tileCount,
        Duration.ofNanos(System.nanoTime() - started));
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
