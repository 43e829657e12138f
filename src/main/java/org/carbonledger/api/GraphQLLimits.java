package org.carbonledger.api;

/**
 * GraphQLLimits bounds what one GraphQL request may cost. Each limit is checked before the expensive work it
 * guards, and each refusal has its own code, so a client can tell which limit it hit.
 *
 * @param depthMax deepest field nesting (QUERY_TOO_DEEP)
 * @param complexityMax most estimated field resolutions, a list field counting its page size times its
 *     selection (QUERY_TOO_COMPLEX)
 * @param aliasesMax most aliased fields in one document: aliases are how one request asks for many
 *     expensive things at once (TOO_MANY_ALIASES)
 * @param pageSizeMax largest {@code first} of a connection (PAGE_SIZE_TOO_LARGE)
 * @param executionTimeoutMillis longest a request may run before it is cancelled (EXECUTION_TIMEOUT)
 * @param introspectionEnabled whether {@code __schema} and {@code __type} answer (INTROSPECTION_DISABLED)
 */
public record GraphQLLimits(int depthMax, int complexityMax, int aliasesMax, int pageSizeMax,
                            long executionTimeoutMillis, boolean introspectionEnabled) {

  public static final GraphQLLimits DEFAULT = new GraphQLLimits(15, 50_000, 30, 500, 10_000, true);

  /** The smallest limits that still serve the schema: below them, ordinary queries would be refused. */
  public static final int DEPTH_MAX_MIN = 3;
  public static final int COMPLEXITY_MAX_MIN = 100;
  public static final int EXECUTION_TIMEOUT_MILLIS_MIN = 100;
  /** A page of the largest size with this many fields must fit the complexity budget, or paging would be useless. */
  private static final int PAGE_FIELDS = 5;

  public GraphQLLimits {
    atLeast("depthMax", depthMax, DEPTH_MAX_MIN);
    atLeast("complexityMax", complexityMax, complexityMaxMin(pageSizeMax));
    atLeast("aliasesMax", aliasesMax, 1);
    atLeast("pageSizeMax", pageSizeMax, 1);
    atLeast("executionTimeoutMillis", executionTimeoutMillis, EXECUTION_TIMEOUT_MILLIS_MIN);
  }

  /** The least complexityMax that serves pages of {@code pageSizeMax}. */
  public static long complexityMaxMin(int pageSizeMax) {
    return Math.max(COMPLEXITY_MAX_MIN, (long) pageSizeMax * PAGE_FIELDS);
  }

  private static void atLeast(String limit, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException("GraphQL limit " + limit + " must be at least " + min + ", got " + value);
    }
  }
}
