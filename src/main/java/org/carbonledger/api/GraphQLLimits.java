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

  public GraphQLLimits {
    if (depthMax < 3 || complexityMax < 100 || aliasesMax < 1 || pageSizeMax < 1 || executionTimeoutMillis < 100) {
      throw new IllegalArgumentException("GraphQL limits too small to serve the schema: depth " + depthMax
          + ", complexity " + complexityMax + ", aliases " + aliasesMax + ", page size " + pageSizeMax
          + ", timeout " + executionTimeoutMillis + " ms");
    }
    // A page of the largest size with a few fields must fit the complexity budget, or paging would be useless.
    if ((long) pageSizeMax * 5 > complexityMax) {
      throw new IllegalArgumentException("complexityMax " + complexityMax + " cannot fit a page of " + pageSizeMax);
    }
  }
}
