package org.carbonledger.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: tile and entry bundle paths have exactly one accepted spelling, the tile arithmetic matches the
 * tlog-tiles spec, and tile and bundle bodies round-trip and reject truncation. Method: the "tiles" vectors of
 * note-vectors.json, a table of hostile paths, and round-trip properties.
 */
class TilesTest {

  private static final Map<String, Object> TILES = TestVectors.map(TestVectors.load("note-vectors.json").get("tiles"));

  @TestFactory
  Stream<DynamicTest> indexEncodingVectors() {
    Map<String, Object> vectors = TestVectors.map(TILES.get("indexEncoding"));
    assertEquals(4, vectors.size());
    return vectors.entrySet().stream().map(e -> dynamicTest(e.getKey() + " <-> " + e.getValue(), () -> {
      long index = Long.parseLong(e.getKey());
      assertEquals(e.getValue(), TilePath.encodeIndex(index));
      assertEquals(index, TilePath.parseIndex((String) e.getValue()));
    }));
  }

  @Test
  void examplePathsParseToTheSpecTilesAndBack() {
    List<Object> paths = TestVectors.list(TILES.get("examplePaths"));
    assertEquals(List.of("tile/0/x001/x234/067", "tile/0/273.p/112", "tile/1/001.p/17", "tile/2/000.p/1",
        "tile/entries/273.p/112"), paths);
    assertEquals(new TileId(0, 1234067, 256), TilePath.parseTile("tile/0/x001/x234/067"));
    assertEquals(new TileId(0, 273, 112), TilePath.parseTile("tile/0/273.p/112"));
    assertEquals(new TileId(1, 1, 17), TilePath.parseTile("tile/1/001.p/17"));
    assertEquals(new TileId(2, 0, 1), TilePath.parseTile("tile/2/000.p/1"));
    assertEquals(new BundleId(273, 112), TilePath.parseEntryBundle("tile/entries/273.p/112"));
    for (Object path : paths.subList(0, 4)) {
      assertEquals(path, TilePath.parseTile((String) path).path());
    }
    assertEquals("tile/entries/273.p/112", TilePath.parseEntryBundle("tile/entries/273.p/112").path());
  }

  @TestFactory
  Stream<DynamicTest> layoutVectors() {
    return Stream.of(70_000L, 256L).map(size -> dynamicTest("size " + size, () -> {
      List<Map<String, Object>> levels = TestVectors.maps(TILES.get("size" + size));
      assertEquals(levels.size(), TileLayout.levelCount(size));
      for (Map<String, Object> level : levels) {
        int l = (int) TestVectors.number(level, "level");
        assertEquals(TestVectors.number(level, "fullTiles"), TileLayout.fullTileCount(l, size), "level " + l);
        assertEquals(TestVectors.number(level, "partialWidth"), TileLayout.partialTileWidth(l, size), "level " + l);
      }
    }));
  }

  @Test
  void layoutEdges() {
    assertEquals(0, TileLayout.levelCount(0));
    assertEquals(1, TileLayout.levelCount(1));
    assertEquals(8, TileLayout.levelCount(Long.MAX_VALUE));
    assertEquals(0, TileLayout.hashCount(8, Long.MAX_VALUE));
    assertEquals(0, TileLayout.hashCount(63, Long.MAX_VALUE));
    assertEquals(127, TileLayout.hashCount(7, Long.MAX_VALUE));
  }

  @Test
  void whichTilesAreCompleteInATreeOf70000() {
    long size = 70_000;
    assertTrue(new TileId(0, 272, 256).isCompleteIn(size));
    assertFalse(new TileId(0, 273, 256).isCompleteIn(size));
    assertTrue(new TileId(0, 273, 112).isCompleteIn(size));
    assertTrue(new TileId(0, 273, 1).isCompleteIn(size), "a partial tile of an earlier size");
    assertFalse(new TileId(0, 273, 113).isCompleteIn(size));
    assertTrue(new TileId(1, 0, 256).isCompleteIn(size));
    assertTrue(new TileId(1, 1, 17).isCompleteIn(size));
    assertFalse(new TileId(1, 1, 18).isCompleteIn(size));
    assertTrue(new TileId(2, 0, 1).isCompleteIn(size));
    assertFalse(new TileId(2, 0, 2).isCompleteIn(size));
    assertFalse(new TileId(3, 0, 1).isCompleteIn(size));
    assertFalse(new TileId(63, 0, 1).isCompleteIn(Long.MAX_VALUE));
    assertFalse(new TileId(0, Long.MAX_VALUE, 256).isCompleteIn(Long.MAX_VALUE));
    assertTrue(new BundleId(273, 112).isCompleteIn(size));
    assertFalse(new BundleId(273, 256).isCompleteIn(size));
    assertEquals(273 * 256, new BundleId(273, 112).firstSeq());
  }

  @Test
  void tileNodesAreTheCompleteSubtreesAtEightTimesTheLevel() {
    List<NodeId> nodes = new TileId(1, 1, 17).nodeIds();
    assertEquals(17, nodes.size());
    assertEquals(new NodeId(8, 256), nodes.get(0));
    assertEquals(new NodeId(8, 272), nodes.get(16));
    assertEquals(new NodeId(56, 0), new TileId(7, 0, 1).nodeIds().get(0));
    assertThrows(IllegalArgumentException.class, () -> new TileId(8, 0, 1).nodeIds());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
    "tile/0/x000/067",            // leading x000 group
    "tile/0/x000/x001/067",       // leading x000 group before others
    "tile/0/67",                  // group too short
    "tile/0/0067",                // group too long
    "tile/0/x1/067",
    "tile/0/001/067",             // missing x
    "tile/0/x001",                // x on the last group
    "tile/0/x001/x234/067/",      // trailing slash
    "tile/0/x001//067",
    "/tile/0/000",                // leading slash
    "tile/00/000",                // level with leading zero
    "tile/01/000",
    "tile/64/000",                // level out of range
    "tile/-1/000",
    "tile/+1/000",
    "tile/a/000",
    "tile/0/000.p/0",             // width 0
    "tile/0/000.p/256",           // width 256 is the full tile, spelled without .p
    "tile/0/000.p/01",            // width with leading zero
    "tile/0/000.p/",
    "tile/0/000.p/1x",
    "tile/0/000.p/5.p/5",
    "tile/0/000.P/5",
    "tile/0/000.p/+5",
    "tile/0/ 000",
    "tile/0/\u0660\u0660\u0660",  // Arabic-Indic digits
    "tile/0/\uff10\uff10\uff10",  // fullwidth digits
    "tile/0/x009/x223/x372/x036/x854/x775/808", // 2^63
    "tile/0/x001/x000/x000/x000/x000/x000/x000/000", // too many groups
    "tile/entries/000",           // a bundle is not a hash tile
    "tile/0",
    "tile/",
    "",
    "tile/0/000\n",
  })
  void parseTileRejects(String path) {
    assertEquals(LedgerException.Code.TILE_PATH_MALFORMED,
        assertThrows(LedgerException.class, () -> TilePath.parseTile(path)).code());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
    "tile/0/000",
    "tile/entries/x000/000",
    "tile/entries/000.p/0",
    "tile/entries/000.p/256",
    "tile/entries/",
    "tile/entries",
    "tile/entries/0",
    "tile/entries//000",
  })
  void parseEntryBundleRejects(String path) {
    assertEquals(LedgerException.Code.TILE_PATH_MALFORMED,
        assertThrows(LedgerException.class, () -> TilePath.parseEntryBundle(path)).code());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, 000",
    "999, 999",
    "1000, x001/000",
    "1234067, x001/x234/067",
    "9223372036854775807, x009/x223/x372/x036/x854/x775/807",
  })
  void indexEncodingTable(long index, String encoded) {
    assertEquals(encoded, TilePath.encodeIndex(index));
    assertEquals(index, TilePath.parseIndex(encoded));
  }

  @Property(tries = 300)
  void tilePathsRoundTrip(@ForAll @IntRange(min = 0, max = 63) int level, @ForAll @LongRange(min = 0) long index,
      @ForAll @IntRange(min = 1, max = 256) int width) {
    TileId tile = new TileId(level, index, width);
    assertEquals(tile, TilePath.parseTile(tile.path()));
    BundleId bundle = new BundleId(index, width);
    assertEquals(bundle, TilePath.parseEntryBundle(bundle.path()));
    assertEquals(tile.isPartial(), tile.path().contains(".p/"));
  }

  @Test
  void idsRefuseImpossibleValues() {
    assertThrows(IllegalArgumentException.class, () -> new TileId(64, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TileId(0, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> new TileId(0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new TileId(0, 0, 257));
    assertThrows(IllegalArgumentException.class, () -> new BundleId(0, 0));
    assertThrows(IllegalArgumentException.class, () -> TilePath.encodeIndex(-1));
  }

  @Test
  void entryBundleGoldenBytes() {
    byte[] body = EntryBundle.encode(List.of(new byte[] {'a', 'b'}, new byte[0]));
    assertEquals("0002616200" + "00", Hex.encode(body));
    List<byte[]> entries = EntryBundle.decode(new BundleId(0, 2), body);
    assertEquals("6162", Hex.encode(entries.get(0)));
    assertEquals(0, entries.get(1).length);
  }

  @Test
  void entryBundleRoundTripsTheLargestEntriesAndAFullBundle() {
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      byte[] entry = new byte[i == 0 ? LedgerEntry.SIZE_MAX_BYTES : i];
      entry[entry.length - 1] = (byte) i;
      entries.add(entry);
    }
    byte[] body = EntryBundle.encode(entries);
    assertEquals(0xff, body[0] & 0xff);
    assertEquals(0xff, body[1] & 0xff);
    List<byte[]> decoded = EntryBundle.decode(new BundleId(0, 256), body);
    for (int i = 0; i < 256; i++) {
      assertArrayEquals(entries.get(i), decoded.get(i));
    }
  }

  @Test
  void entryBundleRejectsTruncationAndExcess() {
    byte[] body = EntryBundle.encode(List.of(new byte[] {1, 2, 3}, new byte[] {4}));
    for (int cut = 1; cut < body.length; cut++) {
      if (cut == 5) {
        continue; // cutting exactly after the first entry leaves a valid one-entry bundle
      }
      byte[] truncated = java.util.Arrays.copyOf(body, cut);
      assertEquals(LedgerException.Code.BUNDLE_MALFORMED,
          assertThrows(LedgerException.class, () -> EntryBundle.decode(truncated)).code(), "cut at " + cut);
    }
    assertEquals(LedgerException.Code.BUNDLE_MALFORMED, assertThrows(LedgerException.class,
        () -> EntryBundle.decode(new BundleId(0, 3), body)).code());
    assertEquals(LedgerException.Code.BUNDLE_MALFORMED, assertThrows(LedgerException.class,
        () -> EntryBundle.decode(new byte[257 * 2])).code(), "257 empty entries");
    assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(List.of(new byte[65_536])));
    assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(List.of()));
  }

  @Test
  void bundleEntriesHashToTheLevelZeroTile() {
    // tlog-tiles: each entry in a bundle hashes to the corresponding hash of the level-0 tile.
    List<byte[]> entries = ChainCheckTest.chain(5);
    CompactRange range = CompactRange.empty();
    java.util.Map<NodeId, byte[]> nodes = new java.util.HashMap<>();
    entries.forEach(e -> range.append(Hashes.leafHash(e)).forEach(n -> nodes.put(n.id(), n.hash())));
    TileId tile = new TileId(0, 0, 5);
    List<byte[]> hashes = new ArrayList<>();
    tile.nodeIds().forEach(id -> hashes.add(nodes.get(id)));
    byte[] tileBody = HashTile.encode(hashes);
    List<byte[]> fromTile = HashTile.decode(tile, tileBody);
    List<byte[]> fromBundle = EntryBundle.decode(new BundleId(0, 5), EntryBundle.encode(entries));
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(fromTile.get(i), Hashes.leafHash(fromBundle.get(i)));
    }
    assertEquals(LedgerException.Code.TILE_DATA_MALFORMED, assertThrows(LedgerException.class,
        () -> HashTile.decode(new TileId(0, 0, 4), tileBody)).code());
    assertEquals(LedgerException.Code.TILE_DATA_MALFORMED, assertThrows(LedgerException.class,
        () -> HashTile.decode(tile, java.util.Arrays.copyOf(tileBody, tileBody.length - 1))).code());
  }
}
