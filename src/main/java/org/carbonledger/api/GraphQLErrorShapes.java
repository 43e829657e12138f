package org.carbonledger.api;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.introspection.IntrospectionDisabledError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GraphQLErrorShapes gives every error of a result an {@code extensions.code}: errors from resolvers carry
 * theirs already; errors raised by graphql-java itself get one from their classification.
 */
final class GraphQLErrorShapes {

  private GraphQLErrorShapes() {}

  static Map<String, Object> toSpecification(ExecutionResult result) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (!result.getErrors().isEmpty()) {
      List<Map<String, Object>> errors = new ArrayList<>();
      for (GraphQLError error : result.getErrors()) {
        errors.add(withCode(error));
      }
      body.put("errors", errors);
    }
    if (result.isDataPresent()) {
      body.put("data", result.getData());
    }
    if (result.getExtensions() != null && !result.getExtensions().isEmpty()) {
      body.put("extensions", result.getExtensions());
    }
    return body;
  }

  private static Map<String, Object> withCode(GraphQLError error) {
    Map<String, Object> shaped = new LinkedHashMap<>(error.toSpecification());
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (error.getExtensions() != null) {
      extensions.putAll(error.getExtensions());
    }
    extensions.remove("classification");
    extensions.putIfAbsent("code", codeOf(error));
    shaped.put("extensions", extensions);
    return shaped;
  }

  private static String codeOf(GraphQLError error) {
    if (error instanceof IntrospectionDisabledError) {
      return "INTROSPECTION_DISABLED";
    }
    if (error instanceof graphql.introspection.GoodFaithIntrospection.BadFaithIntrospectionError) {
      return "QUERY_TOO_COMPLEX"; // graphql-java's own bound on introspection queries: a limit, not a fault
    }
    if (error.getErrorType() instanceof ErrorType type) {
      return switch (type) {
        case InvalidSyntax -> ErrorCodes.GRAPHQL_PARSE_FAILED;
        case ValidationError -> ErrorCodes.GRAPHQL_VALIDATION_FAILED;
        case OperationNotSupported -> ErrorCodes.OPERATION_NOT_SUPPORTED;
        default -> ErrorCodes.INTERNAL;
      };
    }
    return ErrorCodes.INTERNAL;
  }
}
