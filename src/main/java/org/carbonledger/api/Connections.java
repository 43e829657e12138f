package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Connections builds Relay connections from a page read with one extra row: the extra row only tells that
 * another page follows. Cursors name the last item's key, never an offset.
 */
final class Connections {

  /** The GraphQL context key of the request's page size limit. */
  static final String PAGE_SIZE_MAX = "carbonledger.pageSizeMax";
  /** The page size when {@code first} is omitted or null. */
  static final int PAGE_SIZE_DEFAULT = 50;

  private Connections() {}

  /** The {@code first} argument, checked against the page size limit. */
  static int first(DataFetchingEnvironment environment) {
    Integer first = environment.getArgument("first");
    int size = first == null ? PAGE_SIZE_DEFAULT : first;
    int max = environment.getGraphQlContext().getOrDefault(PAGE_SIZE_MAX, GraphQLLimits.DEFAULT.pageSizeMax());
    if (size > max) {
      throw new ApiException("PAGE_SIZE_TOO_LARGE", "'first' is " + size + "; the largest page is " + max);
    }
    if (size < 1) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'first' must be at least 1");
    }
    return size;
  }

  /** The filter argument as a map (empty when absent). */
  static Map<String, Object> filter(DataFetchingEnvironment environment) {
    Map<String, Object> filter = environment.getArgument("filter");
    return filter == null ? Map.of() : filter;
  }

  /** The connection of {@code rows} (up to first + 1 of them), with cursors of kind {@code kind}. */
  static <T> Map<String, Object> of(List<T> rows, int first, boolean hasPrevious, String kind, Function<T, String> key) {
    List<Map<String, Object>> edges = new ArrayList<>();
    for (T row : rows.subList(0, Math.min(first, rows.size()))) {
      edges.add(Map.of("cursor", Cursors.encodeText(kind, key.apply(row)), "node", row));
    }
    Map<String, Object> pageInfo = new LinkedHashMap<>();
    pageInfo.put("hasNextPage", rows.size() > first);
    pageInfo.put("hasPreviousPage", hasPrevious);
    pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
    pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
    return Map.of("edges", edges, "pageInfo", pageInfo);
  }
}
