package org.carbonledger.api;

import graphql.execution.AbortExecutionException;
import java.util.Map;

/**
 * RefusedBeforeExecution stops a request before it is executed, with its code: one that breaks one of the
 * {@link GraphQLLimits}, or one this server does not run at all (a subscription selecting receipts, a mutation
 * sent to a read-only server).
 */
final class RefusedBeforeExecution extends AbortExecutionException {
  private final String code;

  RefusedBeforeExecution(String code, String message) {
    super(message);
    this.code = code;
  }

  String code() {
    return code;
  }

  @Override
  public Map<String, Object> getExtensions() {
    return Map.of("code", code);
  }
}
