package org.carbonledger.verify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.BundleId;
import org.carbonledger.ledger.Checkpoint;
import org.carbonledger.ledger.CompactRange;
import org.carbonledger.ledger.EntryBundle;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.HashTile;
import org.carbonledger.ledger.Hashes;
import org.carbonledger.ledger.Hex;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.ledger.NodeId;
import org.carbonledger.ledger.NoteSigner;
import org.carbonledger.ledger.NoteVerifier;
import org.carbonledger.ledger.SubtreeHashes;
import org.carbonledger.ledger.TileId;
import org.carbonledger.ledger.TileLayout;
import org.carbonledger.ledger.TreeMath;
import org.carbonledger.ledger.TreeNode;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.Ids;

/**
 * TestLog is a log built in memory from the ledger primitives, signed with the test key of
 * ../shared/testdata/note-vectors.json ("checkpoint": seed, origin and vkey), and everything it publishes as
 * C2SP tlog-tiles resources: a map from path ({@code checkpoint}, {@code key}, {@code tile/0/000}, ...) to bytes,
 * which tests corrupt and serve from memory or over real HTTP.
 */
final class TestLog {

  static final String ORIGIN = "registry.example.org/carbon-ledger";
  static final NoteSigner SIGNER = NoteSigner.fromSeed(ORIGIN,
      Hex.decode("89c52243171064346edad1060e62df083ed5886249c300d2d760ecec8a804bc0"));
  /** The vkey note-vectors.json gives for that seed; TestLogTest checks that they agree. */
  static final String VKEY = "registry.example.org/carbon-ledger+33e06406+ASrjj1UQWQpJgiZEo71qZymfp7+BH/MkEO1MfhwzThZa";
  static final NoteVerifier KEY = NoteVerifier.parse(VKEY);
  /** Another key with the same name: its signatures carry another key ID, so the log's verifier ignores them. */
  static final NoteSigner OTHER_SIGNER = NoteSigner.fromSeed(ORIGIN, Hashes.sha256("another test key".getBytes(StandardCharsets.UTF_8)));

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** Maker writes the bytes of entry seq given the prev that continues the chain; a faulty maker may ignore it. */
  interface Maker {
    byte[] make(long seq, String prev);
  }

  final List<byte[]> entries;
  private final Map<NodeId, byte[]> nodes = new HashMap<>();
  private final byte[] root;

  private TestLog(List<byte[]> entries) {
    this.entries = List.copyOf(entries);
    CompactRange range = CompactRange.empty();
    for (byte[] entry : entries) {
      for (TreeNode node : range.append(Hashes.leafHash(entry))) {
        nodes.put(node.id(), node.hash());
      }
    }
    this.root = range.root();
  }

  static TestLog of(List<byte[]> entries) {
    return new TestLog(entries);
  }

  /** A well-formed log of size entries. */
  static TestLog ofSize(int size) {
    return of(chain(size, TestLog::entry));
  }

  /** A log of REGISTRY_CREATED followed by entries of these types and data, in order. */
  static TestLog ofRegistryEntries(List<Decision.Accepted> registryEntries) {
    return of(chain(registryEntries.size() + 1, (seq, prev) -> seq == 0 ? entry(seq, prev)
        : entry(seq, prev, registryEntries.get((int) seq - 1).entryType(), registryEntries.get((int) seq - 1).data())));
  }

  /** Entries 0..size-1, each made with the leaf hash of the bytes before it as prev. */
  static List<byte[]> chain(int size, Maker maker) {
    List<byte[]> out = new ArrayList<>(size);
    String prev = LedgerEntry.ZERO_HASH_HEX;
    for (long seq = 0; seq < size; seq++) {
      byte[] entry = maker.make(seq, prev);
      out.add(entry);
      prev = Hex.encode(Hashes.leafHash(entry));
    }
    return out;
  }

  /**
   * The normal entry: REGISTRY_CREATED for seq 0, then ACCOUNT_OPENED for account seq, all of one holder, so that
   * the log replays into a registry of size - 1 accounts.
   */
  static byte[] entry(long seq, String prev) {
    if (seq == 0) {
      return entry(0, prev, EntryChecker.REGISTRY_CREATED, registryCreated(ORIGIN, VKEY));
    }
    return entry(seq, prev, EntryTypes.ACCOUNT_OPENED, accountOpened(seq));
  }

  /** The data of ACCOUNT_OPENED for the seq-th account, a HOLDING account of holder 1. */
  static Map<String, Object> accountOpened(long seq) {
    Map<String, Object> holder = Map.of("holderId", Ids.format(Ids.Kind.HOLDER, 1), "name", "Fuji Forest Co.",
        "country", "JP");
    return Map.of("accountId", Ids.format(Ids.Kind.ACCOUNT, seq), "holder", holder, "name", "account " + seq,
        "type", "HOLDING");
  }

  /** The normal entry, sequenced at the given time. */
  static byte[] entryAt(long seq, String prev, Instant time) {
    LedgerEntry entry = EntryCodec.decode(entry(seq, prev));
    return EntryCodec.encode(new LedgerEntry(seq, prev, time, entry.type(), entry.data()));
  }

  static byte[] entry(long seq, String prev, String type, Map<String, Object> data) {
    return EntryCodec.encode(new LedgerEntry(seq, prev, START.plusSeconds(seq), type, data));
  }

  static Map<String, Object> registryCreated(String origin, String verifierKey) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("origin", origin);
    data.put("verifierKey", verifierKey);
    return data;
  }

  long size() {
    return entries.size();
  }

  byte[] root() {
    return root.clone();
  }

  /** The checkpoint note signed by the log's key. */
  String checkpoint() {
    return checkpoint(SIGNER, ORIGIN);
  }

  String checkpoint(NoteSigner signer, String origin) {
    return signer.sign(new Checkpoint(origin, size(), root).format());
  }

  /** Every resource the log publishes, in a new mutable map. */
  Map<String, byte[]> publish() {
    Map<String, byte[]> out = new HashMap<>();
    out.put("checkpoint", checkpoint().getBytes(StandardCharsets.UTF_8));
    out.put("key", (VKEY + "\n").getBytes(StandardCharsets.UTF_8));
    out.putAll(bundles());
    out.putAll(tiles());
    return out;
  }

  /** The entry bundles of the tree, full ones then the partial one. */
  Map<String, byte[]> bundles() {
    Map<String, byte[]> out = new HashMap<>();
    for (long first = 0; first < size(); first += TileId.FULL_WIDTH) {
      int width = (int) Math.min(TileId.FULL_WIDTH, size() - first);
      BundleId id = new BundleId(first / TileId.FULL_WIDTH, width);
      out.put(id.path(), EntryBundle.encode(entries.subList((int) first, (int) first + width)));
    }
    return out;
  }

  /** Every hash tile of the tree: at each level the full tiles and the partial one. */
  Map<String, byte[]> tiles() {
    Map<String, byte[]> out = new HashMap<>();
    for (TileId id : tileIds()) {
      List<byte[]> hashes = new ArrayList<>();
      id.nodeIds().forEach(node -> hashes.add(nodes.get(node)));
      out.put(id.path(), HashTile.encode(hashes));
    }
    return out;
  }

  List<TileId> tileIds() {
    List<TileId> out = new ArrayList<>();
    for (int level = 0; level < TileLayout.levelCount(size()); level++) {
      long full = TileLayout.fullTileCount(level, size());
      for (long index = 0; index < full; index++) {
        out.add(new TileId(level, index, TileId.FULL_WIDTH));
      }
      int partial = TileLayout.partialTileWidth(level, size());
      if (partial > 0) {
        out.add(new TileId(level, full, partial));
      }
    }
    return out;
  }

  /** The RFC 6962 inclusion proof of entry index in this tree. */
  List<byte[]> inclusionProof(long index) {
    return SubtreeHashes.proof(TreeMath.inclusionProofRanges(index, size()), nodes::get);
  }
}
