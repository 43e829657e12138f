package org.carbonledger.api;

import graphql.execution.UnknownOperationException;
import graphql.language.Document;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import java.util.Optional;

/**
 * SelectedOperation tells which kind of operation a request will run, before it runs, for the checks that depend
 * on it (GET and WebSocket carry only some kinds). It selects with graphql-java's own rule ({@link NodeUtil}),
 * because a rule of ours could disagree with what executes: an empty operationName, for one, runs the document's
 * first operation, whatever its name.
 */
final class SelectedOperation {

  private SelectedOperation() {}

  /** The kind of the operation that executing the document would run; empty if it would not run any. */
  static Optional<OperationDefinition.Operation> of(String query, String operationName) {
    try {
      Document document = Parser.parse(query);
      if (document.getDefinitionsOfType(OperationDefinition.class).isEmpty()) {
        return Optional.empty(); // a fragment or type definitions alone: NodeUtil would fail, execution refuses it
      }
      return Optional.of(NodeUtil.getOperation(document, operationName).operationDefinition.getOperation());
    } catch (InvalidSyntaxException | UnknownOperationException e) {
      return Optional.empty(); // execution reports why, with its location
    }
  }
}
