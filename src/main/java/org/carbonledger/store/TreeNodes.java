package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.carbonledger.ledger.NodeId;

/**
 * TreeNodes reads stored complete-subtree hashes: level 0 from {@code entries.leaf_hash}, higher levels from
 * {@code tree_nodes}. Every lookup is one statement, whatever the number of nodes.
 */
final class TreeNodes {

  private TreeNodes() {}

  /** The hashes of {@code nodes}; fails with IllegalStateException if one is missing (a broken invariant). */
  static Future<Map<NodeId, byte[]>> fetch(SqlClient client, Collection<NodeId> nodes) {
    if (nodes.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Long> leaves = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    for (NodeId node : nodes) {
      if (node.level() == 0) {
        leaves.add(node.index());
      } else {
        levels.add(node.level());
        indexes.add(node.index());
      }
    }
    return client.preparedQuery("""
            SELECT 0 AS level, seq AS idx, leaf_hash AS hash FROM entries WHERE seq = ANY($1)
            UNION ALL
            SELECT n.level, n.idx, n.hash
              FROM tree_nodes n JOIN unnest($2::int[], $3::bigint[]) AS wanted(level, idx)
                ON n.level = wanted.level AND n.idx = wanted.idx""")
        .execute(Tuple.of(leaves.toArray(Long[]::new), levels.toArray(Integer[]::new), indexes.toArray(Long[]::new)))
        .map(rows -> {
          Map<NodeId, byte[]> hashes = new HashMap<>();
          for (Row row : rows) {
            hashes.put(new NodeId(row.getInteger("level"), row.getLong("idx")), row.getBuffer("hash").getBytes());
          }
          for (NodeId node : nodes) {
            if (!hashes.containsKey(node)) {
              throw new IllegalStateException("tree node " + node + " is missing from the store");
            }
          }
          return hashes;
        });
  }
}
