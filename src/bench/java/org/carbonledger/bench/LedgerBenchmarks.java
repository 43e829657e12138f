package org.carbonledger.bench;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.carbonledger.ledger.CompactRange;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.ProofVerifier;
import org.carbonledger.ledger.SubtreeHashes;
import org.carbonledger.ledger.TreeMath;
import org.carbonledger.ledger.TreeNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * LedgerBenchmarks measures the pure code on the write and verify paths: canonical encoding of a transfer
 * entry, leaf hashing, appending to the compact range, planning and building inclusion and consistency
 * proofs from stored subtree hashes, and verifying them. The tree is held in a map of every complete subtree
 * hash (leaves included), as the writer stores them in {@code tree_nodes} and {@code entries}, so the proof
 * benchmarks measure the computation and not the database. Run as docs/PERFORMANCE.md says.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class LedgerBenchmarks {

  /** One typical entry: a transfer of two serial ranges, as the writer encodes it. */
  @State(Scope.Benchmark)
  public static class Entry {
    LedgerEntry entry;
    byte[] bytes;

    @Setup
    public void setUp() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("blocks", List.of(Map.of("start", 1_000_001L, "end", 1_000_010L), Map.of("start", 2_000_001L, "end", 2_000_005L)));
      data.put("fromAccountId", "A00000006B");
      data.put("quantity", 15L);
      data.put("reference", "TSE-2024-03-08-AUCTION-PM");
      data.put("toAccountId", "A00000010J");
      entry = new LedgerEntry(123_456L, "ab".repeat(32), Instant.parse("2026-11-29T15:43:35.123456Z"), "UNITS_TRANSFERRED", data);
      bytes = EntryCodec.encode(entry);
    }
  }

  /** A tree of {@code size} leaves: every complete subtree hash in a map, and the roots of two sizes. */
  @State(Scope.Benchmark)
  public static class Tree {
    @Param({"1000000"})
    long size;

    final Map<NodeId, byte[]> nodes = new HashMap<>();
    byte[] root;
    long oldSize;
    byte[] oldRoot;
    long index;
    byte[] leaf;
    List<byte[]> inclusion;
    List<byte[]> consistency;

    @Setup(Level.Trial)
    public void setUp() {
      CompactRange range = CompactRange.empty();
      oldSize = size / 2 + 12_345; // not a power of two: the longer kind of consistency proof
      for (long i = 0; i < size; i++) {
        byte[] leafHash = Hashes.leafHash(Long.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (TreeNode node : range.append(leafHash)) {
          nodes.put(node.id(), node.hash());
        }
        if (range.size() == oldSize) {
          oldRoot = range.root();
        }
      }
      root = range.root();
      index = size / 3 + 7;
      leaf = nodes.get(new NodeId(0, index));
      inclusion = SubtreeHashes.proof(TreeMath.inclusionProofRanges(index, size), nodes::get);
      consistency = SubtreeHashes.proof(TreeMath.consistencyProofRanges(oldSize, size), nodes::get);
    }
  }

  /** A fresh compact range for each append benchmark iteration. */
  @State(Scope.Thread)
  public static class Appender {
    CompactRange range;
    byte[] leaf = Hashes.leafHash(new byte[] {1, 2, 3});

    @Setup(Level.Iteration)
    public void setUp() {
      range = CompactRange.empty();
    }
  }

  @Benchmark
  public byte[] encodeEntry(Entry state) {
    return EntryCodec.encode(state.entry);
  }

  @Benchmark
  public LedgerEntry decodeEntry(Entry state) {
    return EntryCodec.decode(state.bytes);
  }

  @Benchmark
  public byte[] leafHash(Entry state) {
    return Hashes.leafHash(state.bytes);
  }

  @Benchmark
  public List<TreeNode> compactRangeAppend(Appender state) {
    return state.range.append(state.leaf);
  }

  @Benchmark
  public List<byte[]> inclusionProof(Tree tree) {
    return SubtreeHashes.proof(TreeMath.inclusionProofRanges(tree.index, tree.size), tree.nodes::get);
  }

  @Benchmark
  public List<byte[]> consistencyProof(Tree tree) {
    return SubtreeHashes.proof(TreeMath.consistencyProofRanges(tree.oldSize, tree.size), tree.nodes::get);
  }

  @Benchmark
  public byte[] rootFromStoredHashes(Tree tree) {
    return SubtreeHashes.root(tree.size, tree.nodes::get);
  }

  @Benchmark
  public void verifyInclusion(Tree tree, Blackhole hole) {
    ProofVerifier.verifyInclusion(tree.leaf, tree.index, tree.size, tree.inclusion, tree.root);
    hole.consume(tree.root);
  }

  @Benchmark
  public void verifyConsistency(Tree tree, Blackhole hole) {
    ProofVerifier.verifyConsistency(tree.oldSize, tree.size, tree.oldRoot, tree.root, tree.consistency);
    hole.consume(tree.root);
  }
}
