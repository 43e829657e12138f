package org.carbonledger.api;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * DocumentCache keeps the parsed and validated form of the most recent distinct queries, so a client that
 * sends the same query again pays for neither parsing nor validation; and it refuses a document with too
 * many aliases before anything runs. Bounded: the least recently used entry goes first.
 */
final class DocumentCache implements PreparsedDocumentProvider {

  /** How many distinct documents are kept. */
  static final int ENTRIES_MAX = 1000;
  /** Longest query text kept; a longer one is parsed and validated each time, so the cache stays small in bytes. */
  static final int KEPT_QUERY_LENGTH_MAX = 10_000;

  private final int aliasesMax;
  private final LruCache<String, PreparsedDocumentEntry> entries = new LruCache<>(ENTRIES_MAX);

  DocumentCache(int aliasesMax) {
    this.aliasesMax = aliasesMax;
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    if (input.getQuery().length() > KEPT_QUERY_LENGTH_MAX) {
      return CompletableFuture.completedFuture(limited(parseAndValidate.apply(input)));
    }
    PreparsedDocumentEntry cached = entries.get(input.getQuery());
    if (cached == null) {
      cached = limited(parseAndValidate.apply(input));
      entries.put(input.getQuery(), cached);
    }
    return CompletableFuture.completedFuture(cached);
  }

  private PreparsedDocumentEntry limited(PreparsedDocumentEntry entry) {
    if (entry.hasErrors()) {
      return entry;
    }
    int aliases = aliases(entry.getDocument());
    if (aliases > aliasesMax) {
      return new PreparsedDocumentEntry(new RefusedBeforeExecution("TOO_MANY_ALIASES",
          "the query has " + aliases + " aliased fields; the most is " + aliasesMax));
    }
    return entry;
  }

  static int aliases(Document document) {
    AtomicInteger count = new AtomicInteger();
    new NodeTraverser().preOrder(new NodeVisitorStub() {
      @Override
      public TraversalControl visitField(Field field, TraverserContext<Node> context) {
        if (field.getAlias() != null) {
          count.incrementAndGet();
        }
        return TraversalControl.CONTINUE;
      }
    }, document);
    return count.get();
  }
}
