package org.carbonledger.verify;

import org.carbonledger.ledger.Check;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.NoteVerifier;

/**
 * Replay streams a log's entries in order, bundle by bundle, and checks what they must agree with: the chain
 * and entry 0 ({@link EntryChecker}), the root at the saved size (when the log grew since the last run), every
 * hash tile of the tree, and the checkpoint's root; and, given a {@link RegistryReplay}, the registry the
 * entries build. Of the tree it keeps only a compact range and one tile per level, so that memory stays
 * bounded however long the log is; the registry's state grows with the registry.
 */
final class Replay {

  /** PendingTile is a recomputed tile whose served body is still being fetched. */
  private record PendingTile(ExpectedTile expected, Future<byte[]> body) {}

  private final Fetcher fetcher;
  private final EntryChecker entries;
  private final Checkpoint checkpoint;
  private final Optional<Checkpoint> older;
  private final RebuiltTree tree;
  private final Optional<RegistryReplay> registry;
  private List<PendingTile> pending = List.of();
  private long tileCount;

  /**
   * @param older    a saved checkpoint of a smaller size, whose root the first entries must give
   * @param registry where to replay the entries for the registry, if they are to be
   */
  Replay(Fetcher fetcher, NoteVerifier key, Checkpoint checkpoint, Optional<Checkpoint> older,
      Optional<RegistryReplay> registry) {
    Check.argument(older.isEmpty() || older.get().size() < checkpoint.size(), "the older checkpoint is not older");
    this.fetcher = fetcher;
    this.entries = new EntryChecker(key);
    this.checkpoint = checkpoint;
    this.older = older;
    this.tree = new RebuiltTree(checkpoint.size());
    this.registry = registry;
  }

  /** Runs every check, throwing at the first failure; returns the number of tiles compared. */
  long run() throws VerificationException {
    checkOlderRoot();
    for (long index = 0; index < fetcher.bundleCount(); index++) {
      CheckedBundle bundle = fetcher.nextBundle();
      bundle.checkFraming();
      List<PendingTile> completed = new ArrayList<>();
      for (int i = 0; i < bundle.id().width(); i++) {
        fetchTiles(tree.append(entries.append(bundle, i)), completed);
        if (registry.isPresent()) {
          registry.get().apply(bundle.id().firstSeq() + i, bundle.entry(i));
        }
        checkOlderRoot();
      }
      // Tiles completed by the previous bundle are compared only now, so that a tampered entry is reported
      // by the prev of the entry after it, which names it, rather than by the tile that holds its hash.
      compare(pending);
      pending = completed;
    }
    Check.state(tree.size() == checkpoint.size(),
        "replayed " + tree.size() + " of " + checkpoint.size() + " entries");
    checkRoot();
    compare(pending);
    List<PendingTile> partial = new ArrayList<>();
    fetchTiles(tree.partialTiles(), partial);
    compare(partial);
    return tileCount;
  }

  /** Starts fetching the served bodies of recomputed tiles, adding them to pending. */
  private void fetchTiles(List<ExpectedTile> recomputed, List<PendingTile> pending) {
    for (ExpectedTile tile : recomputed) {
      pending.add(new PendingTile(tile, fetcher.tile(tile.id())));
    }
  }

  private void compare(List<PendingTile> tilesToCompare) throws VerificationException {
    for (PendingTile tile : tilesToCompare) {
      tile.expected().compare(Fetcher.await(tile.body(), Names.tile(tile.expected().id())));
      tileCount++;
    }
  }

  /** When the entries reach the saved size, their root must be the saved root: the log only appended since. */
  private void checkOlderRoot() throws VerificationException {
    if (older.isEmpty() || tree.size() != older.get().size()) {
      return;
    }
    byte[] root = tree.root();
    if (!MessageDigest.isEqual(root, older.get().rootHash())) {
      throw new VerificationException(VerificationException.Code.STATE_INCONSISTENT,
          "state: the log does not extend the saved checkpoint: its first " + tree.size() + " entries give root "
              + Hex.encode(root) + ", the saved checkpoint has " + Hex.encode(older.get().rootHash()));
    }
  }

  private void checkRoot() throws VerificationException {
    byte[] root = tree.root();
    if (!MessageDigest.isEqual(root, checkpoint.rootHash())) {
      throw new VerificationException(VerificationException.Code.ROOT_MISMATCH, "root mismatch at size "
          + checkpoint.size() + ": the checkpoint has " + Hex.encode(checkpoint.rootHash()) + ", the entries give "
          + Hex.encode(root));
    }
  }
}
