package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.ledger.LedgerEntry;
import org.carbonledger.store.LogReader.StoredEntry;

/**
 * ProjectionRebuild replays a log's entries, in order, through the registry projector into another
 * database's empty projection tables: the projections are a function of the log alone, and this is how
 * that is checked (and how a damaged projection would be rebuilt).
 */
public final class ProjectionRebuild {

  private static final int PAGE_SIZE = 500;

  private ProjectionRebuild() {}

  /** Replays every entry {@code source} holds into {@code target}; succeeds with the number of entries replayed. */
  public static Future<Long> replay(LogReader source, Pool target) {
    return replayFrom(source, target, 0);
  }

  private static Future<Long> replayFrom(LogReader source, Pool target, long fromSeq) {
    return source.entries(fromSeq, PAGE_SIZE).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture(fromSeq);
      }
      return target.withTransaction(sql -> {
        Future<Void> chain = Future.succeededFuture();
        for (StoredEntry stored : page) {
          LedgerEntry entry = EntryCodec.decode(stored.body());
          chain = chain.compose(previous -> RegistryProjector.apply(sql, entry.seq(), entry.type(), entry.data()));
        }
        return chain;
      }).compose(done -> replayFrom(source, target, page.get(page.size() - 1).seq() + 1));
    });
  }

  /** The projection tables, each with the columns that order its rows. */
  public static final List<String[]> TABLES = List.of(
      new String[] {"account_holders", "holder_id"},
      new String[] {"accounts", "account_id"},
      new String[] {"account_balances", "account_id"},
      new String[] {"projects", "project_id"},
      new String[] {"project_registrations", "project_id, position"},
      new String[] {"authorisations", "authorisation_id"},
      new String[] {"issuances", "issuance_id"},
      new String[] {"blocks", "serial_start"},
      new String[] {"movements", "seq, position"},
      new String[] {"transfers", "seq"},
      new String[] {"retirements", "seq"},
      new String[] {"cancellations", "seq"});
}
