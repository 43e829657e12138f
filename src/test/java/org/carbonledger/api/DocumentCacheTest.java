package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.parser.Parser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * DocumentCache parses and validates a query once and answers its repeats from memory. Goal: repeats are not
 * parsed again, and a very long query is never kept (its parsed form would make the cache large in bytes).
 */
class DocumentCacheTest {

  private final AtomicInteger parsed = new AtomicInteger();
  private final Function<ExecutionInput, PreparsedDocumentEntry> parse = input -> {
    parsed.incrementAndGet();
    return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
  };

  private PreparsedDocumentEntry ask(DocumentCache cache, String query) throws Exception {
    return cache.getDocumentAsync(ExecutionInput.newExecutionInput().query(query).build(), parse).get();
  }

  @Test
  void aRepeatedQueryIsParsedOnceAndAVeryLongOneEachTime() throws Exception {
    DocumentCache cache = new DocumentCache(30);
    PreparsedDocumentEntry kept = ask(cache, "{ serverVersion }");
    assertSame(kept, ask(cache, "{ serverVersion }"));
    assertEquals(1, parsed.get(), "the repeat came from the cache");

    parsed.set(0);
    String longQuery = "{ serverVersion " + " ".repeat(DocumentCache.KEPT_QUERY_LENGTH_MAX) + "}";
    ask(cache, longQuery);
    ask(cache, longQuery);
    assertEquals(2, parsed.get(), "a query over " + DocumentCache.KEPT_QUERY_LENGTH_MAX + " characters is not kept");
  }
}
