package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A resolver's outcome reaches the request's context even when another event loop (the writer's) completes it. */
class CallersContextTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static Context newEventLoopContext() {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  @Test
  void anOutcomeCompletedOnAnotherEventLoopIsDeliveredOnTheCallersContext() throws Exception {
    Context request = newEventLoopContext();
    Context writer = newEventLoopContext();
    for (boolean succeeds : new boolean[] {true, false}) {
      Promise<String> outcome = Promise.promise();
      CompletableFuture<Context> deliveredOn = new CompletableFuture<>();
      CompletableFuture<Object> delivered = new CompletableFuture<>();
      request.runOnContext(ignored -> LedgerResolvers.onCallersContext(outcome.future()).whenComplete((value, failure) -> {
        deliveredOn.complete(Vertx.currentContext());
        delivered.complete(failure == null ? value : failure.getMessage());
      }));
      writer.runOnContext(ignored -> {
        if (succeeds) {
          outcome.complete("entry 7");
        } else {
          outcome.fail("database down");
        }
      });
      assertSame(request, deliveredOn.get(10, TimeUnit.SECONDS), "delivered on the request's context");
      assertEquals(succeeds ? "entry 7" : "database down", delivered.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void outsideAnyContextTheOutcomeIsPassedStraightOn() throws Exception {
    assertEquals("ready", LedgerResolvers.onCallersContext(io.vertx.core.Future.succeededFuture("ready"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
  }
}
