package org.carbonledger.api;

import graphql.execution.AbortExecutionException;
import java.util.Map;

/** LimitExceeded stops a request that breaks one of the {@link GraphQLLimits}, before it is executed. */
final class LimitExceeded extends AbortExecutionException {
  private final String code;

  LimitExceeded(String code, String message) {
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
