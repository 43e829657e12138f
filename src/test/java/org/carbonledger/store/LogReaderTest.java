package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.CompactRange;
import org.carbonledger.ledger.EntryBundle;
import org.carbonledger.ledger.HashTile;
import org.carbonledger.ledger.LedgerException;
import org.carbonledger.ledger.ProofVerifier;
import org.carbonledger.ledger.TileId;
import org.carbonledger.store.LogReader.StoredEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LogReaderTest reads roots, proofs, tiles and bundles from a stored log of 600 entries (two full level-0
 * tiles, a partial one, and a partial level-1 tile) and checks each against values recomputed from the
 * entries alone.
 */
class LogReaderTest {

  private static final int SIZE = 600;
  private static TestLedger log;
  private static LogReader reader;
  private static final List<StoredEntry> entries = new ArrayList<>();
  private static final List<byte[]> roots = new ArrayList<>();

  @BeforeAll
  static void buildLog() {
    log = TestLedger.open();
    reader = log.ledger.reader();
    for (int i = 1; i < SIZE - 1; i++) {
      log.ledger.writer().append(new TestLedger.Note("note " + i));
    }
    await(log.ledger.writer().append(new TestLedger.Note("last")));
    entries.addAll(await(reader.entries(0, LogReader.ENTRY_PAGE_MAX)));
    assertEquals(SIZE, entries.size());
    CompactRange tree = CompactRange.empty();
    roots.add(tree.root());
    entries.forEach(entry -> {
      tree.append(entry.leafHash());
      roots.add(tree.root());
    });
  }

  @AfterAll
  static void close() {
    log.close();
  }

  @Test
  void rootsAtEverySizeMatchTheRecomputedTree() {
    for (long size : new long[] {0, 1, 2, 3, 7, 8, 255, 256, 257, 511, 512, 513, 600}) {
      LogReader.Consistency same = await(reader.consistency(size, size));
      assertArrayEquals(roots.get((int) size), same.newRoot(), "root at " + size);
      assertArrayEquals(roots.get((int) size), same.oldRoot(), "root at " + size);
      assertEquals(List.of(), same.path());
    }
  }

  @Test
  void inclusionProofsVerifyAndABitFlipBreaksThem() {
    long[][] cases = {{0, 1}, {0, 2}, {1, 2}, {5, 600}, {599, 600}, {255, 256}, {256, 257}, {300, 513}, {511, 512}};
    for (long[] c : cases) {
      long index = c[0];
      long size = c[1];
      LogReader.Inclusion inclusion = await(reader.inclusion(index, size));
      List<byte[]> proof = inclusion.path();
      byte[] leaf = entries.get((int) index).leafHash();
      assertArrayEquals(leaf, inclusion.leafHash(), "leaf hash of " + index);
      assertArrayEquals(roots.get((int) size), inclusion.root(), "root at " + size);
      ProofVerifier.verifyInclusion(leaf, index, size, proof, roots.get((int) size));
      if (!proof.isEmpty()) {
        proof.get(0)[0] ^= 1;
        assertThrows(LedgerException.class, () -> ProofVerifier.verifyInclusion(leaf, index, size, proof, roots.get((int) size)),
            "flipped proof for " + index + " in " + size);
      }
    }
  }

  @Test
  void consistencyProofsVerify() {
    long[][] cases = {{1, 2}, {1, 600}, {7, 8}, {255, 256}, {256, 257}, {257, 600}, {512, 600}, {600, 600}, {0, 600}};
    for (long[] c : cases) {
      LogReader.Consistency consistency = await(reader.consistency(c[0], c[1]));
      assertArrayEquals(roots.get((int) c[0]), consistency.oldRoot(), "root at " + c[0]);
      assertArrayEquals(roots.get((int) c[1]), consistency.newRoot(), "root at " + c[1]);
      ProofVerifier.verifyConsistency(c[0], c[1], roots.get((int) c[0]), roots.get((int) c[1]), consistency.path());
    }
  }

  @Test
  void hashTilesHoldTheNodesOfTheirLevel() {
    List<byte[]> leaves = entries.stream().map(StoredEntry::leafHash).toList();
    assertTileEquals(new TileId(0, 0, 256), leaves.subList(0, 256));
    assertTileEquals(new TileId(0, 1, 256), leaves.subList(256, 512));
    assertTileEquals(new TileId(0, 2, 88), leaves.subList(512, 600));
    assertTileEquals(new TileId(0, 2, 10), leaves.subList(512, 522));
    // Level 1 holds tree level 8: the roots of the complete 256-leaf subtrees.
    assertTileEquals(new TileId(1, 0, 2), List.of(roots.get(256), rangeRoot(leaves.subList(256, 512))));
  }

  @Test
  void tilesBeyondTheTreeAreAbsent() {
    assertTrue(await(reader.tile(new TileId(0, 2, 256), SIZE)).isEmpty());
    assertTrue(await(reader.tile(new TileId(0, 2, 89), SIZE)).isEmpty());
    assertTrue(await(reader.tile(new TileId(0, 3, 1), SIZE)).isEmpty());
    assertTrue(await(reader.tile(new TileId(1, 0, 3), SIZE)).isEmpty());
    assertTrue(await(reader.tile(new TileId(2, 0, 1), SIZE)).isEmpty());
    assertTrue(await(reader.entryBundle(new BundleId(2, 89), SIZE)).isEmpty());
  }

  @Test
  void entryBundlesHoldTheEntriesBytesInOrder() {
    List<byte[]> bundle = EntryBundle.decode(new BundleId(2, 88), await(reader.entryBundle(new BundleId(2, 88), SIZE)).orElseThrow().getBytes());
    assertEquals(88, bundle.size());
    for (int i = 0; i < 88; i++) {
      assertArrayEquals(entries.get(512 + i).body(), bundle.get(i));
    }
  }

  private static void assertTileEquals(TileId id, List<byte[]> expected) {
    byte[] body = await(reader.tile(id, SIZE)).orElseThrow(() -> new AssertionError("tile " + id + " missing")).getBytes();
    List<byte[]> hashes = HashTile.decode(id, body);
    assertEquals(expected.size(), hashes.size(), "tile " + id);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), hashes.get(i), "tile " + id + " hash " + i);
    }
  }

  private static byte[] rangeRoot(List<byte[]> leaves) {
    CompactRange tree = CompactRange.empty();
    leaves.forEach(tree::append);
    return tree.root();
  }
}
