package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** GraphQLLimitsRangeTest: limits too small to serve the schema are refused, each naming the one value that is. */
class GraphQLLimitsRangeTest {

  @Test
  void eachLimitTooSmallIsNamedWithItsMinimum() {
    assertEquals("GraphQL limit depthMax must be at least 3, got 2",
        assertThrows(IllegalArgumentException.class, () -> new GraphQLLimits(2, 50_000, 30, 500, 10_000, true)).getMessage());
    assertEquals("GraphQL limit complexityMax must be at least 100, got 99",
        assertThrows(IllegalArgumentException.class, () -> new GraphQLLimits(15, 99, 30, 10, 10_000, true)).getMessage());
    assertEquals("GraphQL limit complexityMax must be at least 2500, got 2000",
        assertThrows(IllegalArgumentException.class, () -> new GraphQLLimits(15, 2000, 30, 500, 10_000, true)).getMessage());
    assertEquals("GraphQL limit aliasesMax must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new GraphQLLimits(15, 50_000, 0, 500, 10_000, true)).getMessage());
    assertEquals("GraphQL limit executionTimeoutMillis must be at least 100, got 99",
        assertThrows(IllegalArgumentException.class, () -> new GraphQLLimits(15, 50_000, 30, 500, 99, true)).getMessage());
    new GraphQLLimits(3, 100, 1, 20, 100, false); // every minimum at once still serves
  }
}
