package org.carbonledger.api;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.registry.EntryAccounts;
import org.carbonledger.registry.Ids;
import org.carbonledger.store.EntryFeed;
import org.carbonledger.store.Ledger;
import org.carbonledger.store.LogReader;
import org.carbonledger.store.LogReader.StoredEntry;

/**
 * SubscriptionResolvers serve the Subscription root: the log's entries, or those touching one account
 * (the rule is {@link EntryAccounts}), after any seq, caught up from the database and then live, through the
 * {@link EntryFeed}. Each event is one Entry, built exactly as the {@code entries} query builds it. An entry
 * that cannot be shown becomes that event's error with a null Entry (the fields are nullable for this),
 * so one bad entry never ends the stream.
 */
final class SubscriptionResolvers {

  /**
   * GraphQL context key: how many entries may wait for one subscriber (an Integer), set by the transport;
   * {@link EntryFeed#SUBSCRIBER_BUFFER_MAX_DEFAULT} when absent.
   */
  static final String SUBSCRIBER_BUFFER_MAX = "carbonledger.subscriberBufferMax";

  private static final Logger LOG = Logger.getLogger(SubscriptionResolvers.class.getName());

  private final EntryFeed feed;
  private final LogReader reader;

  SubscriptionResolvers(Ledger ledger) {
    this.feed = ledger.feed();
    this.reader = ledger.reader();
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Subscription", type -> type
        .dataFetcher("entries", LedgerResolvers.async(environment -> follow(environment, entry -> true)))
        .dataFetcher("entriesOfAccount", LedgerResolvers.async(environment -> {
          String accountId = environment.getArgument("accountId");
          if (!Ids.isValid(Ids.Kind.ACCOUNT, accountId)) {
            throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'accountId' is not an account id (e.g. A00000001L) with a valid check character");
          }
          return follow(environment, entry -> touches(entry, accountId));
        })));
  }

  /**
   * The stream after {@code afterSeq}: -1 is before entry 0; null is the log's end now, so only entries
   * committed from now on. A seq the log does not have yet is refused: it is a resume point from another log.
   */
  private Future<Flow.Publisher<Object>> follow(DataFetchingEnvironment environment, Predicate<StoredEntry> filter) {
    Long afterSeq = environment.getArgument("afterSeq");
    if (afterSeq != null && afterSeq < -1) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'afterSeq' must be -1 (from the first entry) or a seq, got " + afterSeq);
    }
    int bufferMax = environment.getGraphQlContext().getOrDefault(SUBSCRIBER_BUFFER_MAX, EntryFeed.SUBSCRIBER_BUFFER_MAX_DEFAULT);
    return reader.publishedSize().map(size -> {
      if (afterSeq != null && afterSeq >= size) {
        throw new ApiException(LedgerResolvers.SEQ_NOT_IN_TREE, "'afterSeq' " + afterSeq + " is not in the log of size " + size);
      }
      return feed.follow(afterSeq != null ? afterSeq : size - 1, filter, SubscriptionResolvers::event, bufferMax);
    });
  }

  /** True when the entry touches the account; an entry that cannot be read passes, so its event reports it. */
  private static boolean touches(StoredEntry entry, String accountId) {
    try {
      return EntryAccounts.touches(EntryCodec.decode(entry.body()).data(), accountId);
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static Object event(StoredEntry stored) {
    try {
      // Decoded here, not when a field asks: an entry that cannot be decoded is one error event (SUBSCRIPTIONS.md).
      return LedgerResolvers.entry(stored, EntryCodec.decode(stored.body()));
    } catch (RuntimeException e) {
      String incident = ResolverErrors.newIncidentId();
      LOG.log(Level.SEVERE, "api.subscription_event_failed incident=" + incident + " seq=" + stored.seq(), e);
      return DataFetcherResult.newResult()
          .data(null)
          .error(GraphqlErrorBuilder.newError()
              .message("entry " + stored.seq() + " cannot be shown: " + ResolverErrors.internalErrorMessage(incident))
              .extensions(Map.of("code", ErrorCodes.INTERNAL, "incident", incident, "seq", stored.seq()))
              .build())
          .build();
    }
  }
}
