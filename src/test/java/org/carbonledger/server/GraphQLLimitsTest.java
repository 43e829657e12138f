package org.carbonledger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GraphQLLimitsTest starts a server with small, configured limits and checks that each one refuses, with
 * its own code and before execution, a request just over it, while a request just under it runs.
 */
class GraphQLLimitsTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--graphql-depth-max", "5", "--graphql-complexity-max", "500", "--graphql-aliases-max", "3",
        "--graphql-page-size-max", "50", "--graphql-introspection", "false", "--graphiql", "false");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void depth() throws Exception {
    server.data("{ blocks { edges { node { account { name } } } } }", null);
    assertEquals("QUERY_TOO_DEEP", server.errorCode("{ blocks { edges { node { account { holder { name } } } } } }", null));
  }

  @Test
  void complexityCountsPageSizes() throws Exception {
    server.data("{ blocks(first: 40) { edges { node { serialStart serialEnd } } } }", null);
    String selection = "{ edges { cursor node { serialStart serialEnd quantity state updatedSeq serialNumber account { name status type } } } }";
    assertEquals("QUERY_TOO_COMPLEX", server.errorCode("{ blocks(first: 50) " + selection + " }", null));
    // A null page size serves the default page (50), so it costs as much.
    assertEquals("QUERY_TOO_COMPLEX", server.errorCode("{ blocks(first: null) " + selection + " }", null));
    assertEquals("QUERY_TOO_COMPLEX", server.errorCode("query($n: Int) { blocks(first: $n) " + selection + " }",
        new JsonObject().putNull("n")));
  }

  /** A receipt reads an inclusion proof: a page of receipts costs a hundred times a page of leaf hashes. */
  @Test
  void receiptsCountAsExpensiveFields() throws Exception {
    String receipts = "query($n: Int) { entries(first: $n) { edges { node { receipt { tlogProof } } } } }";
    assertFalse(server.graphql(receipts, new JsonObject().put("n", 4)).containsKey("errors"));
    assertEquals("QUERY_TOO_COMPLEX", server.errorCode(receipts, new JsonObject().put("n", 5)));
    String hashes = "query($n: Int) { entries(first: $n) { edges { node { leafHash } } } }";
    assertFalse(server.graphql(hashes, new JsonObject().put("n", 50)).containsKey("errors"));
  }

  /**
   * A statement's movements have no page size but may number 10,000, each with proofs: they count as a read of
   * 10,000 plus 400 times their selection. Without them, a statement reads its balances alone, and costs little.
   */
  @Test
  void aStatementsMovementsCountAsMany() throws Exception {
    assertEquals("QUERY_TOO_COMPLEX", server.errorCode("{ accountStatement(accountId: \"A00000001L\", window: {fromSeq: 0}) "
        + "{ movements { seq leafHash } } }", null));
    // Without its movements the same statement costs a few fields (and is refused later, for its unknown account).
    assertEquals("NOT_FOUND", server.errorCode("{ accountStatement(accountId: \"A00000001L\", window: {fromSeq: 0}) "
        + "{ openingBalance } }", null));
  }

  @Test
  void theSameDocumentIsCheckedAgainForEachPageSizeAndCondition() throws Exception {
    String page = "query($n: Int) { blocks(first: $n) { edges { cursor node { serialStart serialEnd quantity state updatedSeq "
        + "serialNumber account { name status type } } } } }";
    for (int round = 0; round < 2; round++) { // the second round answers from the cache
      assertFalse(server.graphql(page, new JsonObject().put("n", 5)).containsKey("errors"), "round " + round);
      assertEquals("QUERY_TOO_COMPLEX", server.errorCode(page, new JsonObject().put("n", 50)), "round " + round);
    }
    String deep = "query($deep: Boolean!, $who: ID) { blocks(filter: {accountId: $who}) { edges { node { account { name "
        + "holder @include(if: $deep) { name } } } } } }";
    for (int round = 0; round < 2; round++) {
      JsonObject shallow = server.graphql(deep, new JsonObject().put("deep", false).put("who", "A" + round));
      assertFalse(shallow.containsKey("errors"), shallow.toString());
      assertEquals("QUERY_TOO_DEEP", server.errorCode(deep, new JsonObject().put("deep", true).put("who", "B" + round)), "round " + round);
    }
  }

  @Test
  void aliases() throws Exception {
    server.data("{ a: serverVersion b: serverVersion c: serverVersion }", null);
    assertEquals("TOO_MANY_ALIASES", server.errorCode("{ a: serverVersion b: serverVersion c: serverVersion d: serverVersion }", null));
  }

  @Test
  void pageSize() throws Exception {
    assertEquals("PAGE_SIZE_TOO_LARGE", server.errorCode("{ accounts(first: 51) { edges { cursor } } }", null));
  }

  @Test
  void introspectionAndGraphiqlCanBeSwitchedOff() throws Exception {
    assertEquals("INTROSPECTION_DISABLED", server.errorCode("{ __schema { queryType { name } } }", null));
    JsonObject typename = server.data("{ __typename }", null);
    assertEquals("Query", typename.getString("__typename"), "__typename is not introspection");
    assertEquals(404, server.send(server.request("/graphiql/").GET()).statusCode());
    assertFalse(server.graphql("{ log { size } }", null).containsKey("errors"));
  }
}
