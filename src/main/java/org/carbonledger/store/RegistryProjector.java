package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.CancellationReason;
import org.carbonledger.registry.DataReader;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.RetirementPurpose;
import org.carbonledger.registry.SerialRange;

/**
 * RegistryProjector applies one registry entry to the SQL projections, from the entry's data alone: the
 * writer calls it right after appending the entry, and a rebuild calls it for every entry in order, so
 * both produce the same tables. The transitions are those of docs/REGISTRY.md. Changes to blocks, movements
 * and transfers go to a {@link ProjectionBatch}; the others are sent at once.
 */
public final class RegistryProjector {

  private RegistryProjector() {}

  /** Applies the entry at {@code seq}, all its changes sent; entry types that change no projection are ignored. */
  public static Future<Void> apply(SqlConnection sql, long seq, String type, Map<String, Object> data) {
    ProjectionBatch changes = new ProjectionBatch();
    return apply(sql, seq, type, data, List.of(), changes).compose(applied -> changes.send(sql));
  }

  /**
   * As {@link #apply(SqlConnection, long, String, Map)}, but the changes to blocks, movements and transfers are
   * added to {@code batch} for the caller to send. {@code current} are the current blocks as the caller knows them
   * (the writer's snapshot): when they hold every range the entry moves, the move is computed from them; otherwise
   * the blocks are read, which sees only what was sent.
   */
  static Future<Void> apply(SqlConnection sql, long seq, String type, Map<String, Object> data, List<Block> current,
                            ProjectionBatch batch) {
    DataReader entry = new DataReader(type, data);
    entry.optionalString(EntryTypes.PRINCIPAL);
    return switch (type) {
      case "ACCOUNT_OPENED" -> accountOpened(sql, seq, entry);
      case "ACCOUNT_STATUS_CHANGED" -> update(sql, "UPDATE accounts SET status = $2, status_seq = $3 WHERE account_id = $1",
          Tuple.of(entry.string("accountId"), entry.string("status"), seq));
      case "PROJECT_REGISTERED" -> projectRegistered(sql, seq, entry);
      case "AUTHORISATION_RECORDED" -> update(sql, """
          INSERT INTO authorisations (authorisation_id, host_country, loa_reference, loa_date, purpose,
            first_transfer_definition, authorised_quantity, vintage_from, vintage_to, recorded_seq,
            corresponding_adjustment_attested, project_ids)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
          tuple(entry.string("authorisationId"), entry.string("hostCountry"), entry.string("loaReference"),
              entry.date("loaDate"), entry.string("purpose"), entry.string("firstTransferDefinition"),
              entry.number("authorisedQuantity"), entry.year("vintageFrom"), entry.year("vintageTo"), seq,
              entry.flag("correspondingAdjustmentAttested"), strings(entry.optionalStrings("projectIds"))));
      case "UNITS_ISSUED" -> unitsIssued(sql, seq, entry, batch);
      case "UNITS_TRANSFERRED" -> move(sql, seq, "TRANSFERRED", entry.string("fromAccountId"), entry.string("toAccountId"), BlockState.ACTIVE, entry, current, batch,
          () -> {
            batch.transfer(seq, entry.string("fromAccountId"), entry.string("toAccountId"), entry.number("quantity"),
                entry.optionalString("reference"));
            return Future.succeededFuture();
          });
      case "UNITS_RETIRED" -> move(sql, seq, "RETIRED", entry.string("accountId"), entry.string("accountId"), BlockState.RETIRED, entry, current, batch,
          () -> retired(sql, seq, entry));
      case "UNITS_CANCELLED" -> move(sql, seq, "CANCELLED", entry.string("accountId"), entry.string("accountId"), BlockState.CANCELLED, entry, current, batch,
          () -> update(sql, """
              INSERT INTO cancellations (seq, account_id, quantity, reason, target_registry, external_reference, note)
              VALUES ($1, $2, $3, $4, $5, $6, $7)""",
              tuple(seq, entry.string("accountId"), entry.number("quantity"),
                  entry.string("reason"), entry.optionalString("targetRegistry"), entry.optionalString("externalReference"),
                  entry.optionalString("note"))));
      case "CORRESPONDING_ADJUSTMENT_APPLIED" -> update(sql, """
          UPDATE issuances SET corresponding_adjustment = 'APPLIED', ca_report_reference = $2, ca_seq = $3
          WHERE issuance_id = $1""", Tuple.of(entry.string("issuanceId"), entry.string("reportReference"), seq));
      default -> Future.succeededFuture();
    };
  }

  /** An optional array member as a text[] parameter. */
  private static String[] strings(List<String> values) {
    return values == null ? null : values.toArray(String[]::new);
  }

  /** A tuple that may hold nulls (absent optional members). */
  private static Tuple tuple(Object... values) {
    return Tuple.from(Arrays.asList(values));
  }

  private static Future<Void> update(SqlConnection sql, String statement, Tuple arguments) {
    return sql.preparedQuery(statement).execute(arguments).mapEmpty();
  }

  /**
   * Waits for statements that were all sent already, in the order given. PostgreSQL runs one connection's
   * statements in the order they were sent, so sending a projection's statements together costs one round trip
   * instead of one each; a failed one aborts the transaction, so the ones after it fail too.
   */
  private static Future<Void> inOrder(Future<?>... sent) {
    return Future.all(Arrays.asList(sent)).mapEmpty();
  }

  private static Future<Void> accountOpened(SqlConnection sql, long seq, DataReader entry) {
    DataReader holder = entry.object("holder");
    return inOrder(
        update(sql, """
            INSERT INTO account_holders (holder_id, name, country, created_seq) VALUES ($1, $2, $3, $4)
            ON CONFLICT (holder_id) DO NOTHING""",
            Tuple.of(holder.string("holderId"), holder.string("name"), holder.string("country"), seq)),
        update(sql, """
            WITH opened AS (
              INSERT INTO accounts (account_id, holder_id, name, type, program, status, opened_seq, status_seq)
              VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $6) RETURNING account_id)
            INSERT INTO account_balances (account_id, active) SELECT account_id, 0 FROM opened""",
            Tuple.of(entry.string("accountId"), holder.string("holderId"), entry.string("name"), entry.string("type"),
                entry.optionalString("program"), seq)));
  }

  private static Future<Void> projectRegistered(SqlConnection sql, long seq, DataReader entry) {
    DataReader crediting = entry.object("creditingPeriod");
    Future<Void> project = update(sql, """
        INSERT INTO projects (project_id, program, program_project_id, name, host_country, methodology, category,
          mitigation_type, crediting_start, crediting_end, activity_start, tse_market_class, registered_seq)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""",
        tuple(entry.string("projectId"), entry.string("program"),
            entry.string("programProjectId"), entry.string("name"), entry.string("hostCountry"), entry.string("methodology"),
            entry.string("category"), entry.string("mitigationType"), crediting.date("start"), crediting.date("end"),
            entry.date("activityStart"), entry.optionalString("tseMarketClass"), seq));
    List<Tuple> registrations = new ArrayList<>();
    List<DataReader> others = entry.objects("otherRegistrations");
    for (int i = 0; i < others.size(); i++) {
      DataReader other = others.get(i);
      DataReader period = other.object("period");
      registrations.add(Tuple.of(entry.string("projectId"), i, other.string("program"), other.string("projectId"),
          period.date("start"), period.date("end"), other.bool("cancelled")));
    }
    return registrations.isEmpty() ? project : inOrder(project, sql.preparedQuery("""
        INSERT INTO project_registrations (project_id, position, program, external_id, period_start, period_end, cancelled)
        VALUES ($1, $2, $3, $4, $5, $6, $7)""").executeBatch(registrations).mapEmpty());
  }

  private static Future<Void> unitsIssued(SqlConnection sql, long seq, DataReader entry, ProjectionBatch batch) {
    DataReader period = entry.object("monitoringPeriod");
    String issuanceId = entry.string("issuanceId");
    String accountId = entry.string("accountId");
    long start = entry.number("serialStart");
    long end = entry.number("serialEnd");
    Block issued = new Block(start, end, issuanceId, accountId, BlockState.ACTIVE);
    batch.addBlock(issued, seq);
    batch.movement(seq, 0, "ISSUED", issued, null, accountId);
    return update(sql, """
            INSERT INTO issuances (issuance_id, project_id, account_id, monitoring_start, monitoring_end, vintage, quantity,
              serial_start, serial_end, unit_type, labels, authorisation_id, corresponding_adjustment, first_transfer, issued_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""",
        tuple(issuanceId, entry.string("projectId"), accountId,
            period.date("start"), period.date("end"), entry.year("vintage"), entry.number("quantity"), start, end,
            entry.string("unitType"), entry.strings("labels").toArray(String[]::new), entry.optionalString("authorisationId"),
            entry.string("correspondingAdjustment"), entry.string("firstTransfer"), seq));
  }

  /**
   * Moves the entry's {@code blocks} ranges to {@code toAccount} in {@code toState}: finds the blocks that
   * contain them, replaces each by its parts and records one movement per range (in {@code batch}), and runs
   * {@code record} (the entry's own row).
   */
  private static Future<Void> move(SqlConnection sql, long seq, String kind, String fromAccount, String toAccount,
                                   BlockState toState, DataReader entry, List<Block> current, ProjectionBatch batch,
                                   Supplier<Future<Void>> record) {
    List<SerialRange> ranges = entry.ranges("blocks");
    boolean known = holdsAll(current, ranges);
    if (!known && !batch.isEmpty()) {
      // The blocks table does not have the batch's changes yet: reading it would move stale blocks.
      throw new IllegalStateException("entry " + seq + " moves ranges its caller's blocks do not hold, with changes unsent");
    }
    Future<List<Block>> containing = known ? Future.succeededFuture(current) : containing(sql, ranges);
    return containing
        .compose(blocks -> {
          BlockMoves.Result result = BlockMoves.move(blocks, ranges, toAccount, toState);
          for (Block moved : result.movedFrom()) {
            if (!moved.accountId().equals(fromAccount) || moved.state() != BlockState.ACTIVE) {
              throw new IllegalStateException("entry " + seq + " moves serials " + moved.start() + ".." + moved.end()
                  + " that are not active in " + fromAccount);
            }
          }
          result.removed().forEach(batch::removeBlock);
          result.added().forEach(block -> batch.addBlock(block, seq));
          for (int i = 0; i < result.movedFrom().size(); i++) {
            batch.movement(seq, i, kind, result.movedFrom().get(i), fromAccount, kind.equals("TRANSFERRED") ? toAccount : null);
          }
          return inOrder(firstUse(sql, kind, entry, result.movedFrom()), record.get());
        });
  }

  /** The current blocks that contain the start of each range. */
  private static Future<List<Block>> containing(SqlConnection sql, List<SerialRange> ranges) {
    return sql.preparedQuery("""
            SELECT DISTINCT b.serial_start, b.serial_end, b.issuance_id, b.account_id, b.state
              FROM unnest($1::bigint[]) AS wanted(serial)
              JOIN LATERAL (SELECT * FROM blocks WHERE serial_start <= wanted.serial
                            ORDER BY serial_start DESC LIMIT 1) b ON b.serial_end >= wanted.serial""")
        .execute(Tuple.of((Object) ranges.stream().map(SerialRange::start).toArray(Long[]::new)))
        .map(rows -> {
          List<Block> blocks = new ArrayList<>();
          rows.forEach(row -> blocks.add(DomainRows.block(row)));
          return blocks;
        });
  }

  /** True when every range lies inside one of {@code blocks}. */
  private static boolean holdsAll(List<Block> blocks, List<SerialRange> ranges) {
    for (SerialRange range : ranges) {
      if (blocks.stream().noneMatch(block -> block.start() <= range.start() && range.end() <= block.end())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Under USE_OR_CANCELLATION, the first use of an issuance's units anywhere but in its host country is its first
   * transfer (RetirementPurpose and CancellationReason say which uses are; the replay in Transitions likewise, and
   * migration V010 for the projections of older builds).
   */
  private static Future<Void> firstUse(SqlConnection sql, String kind, DataReader entry, List<Block> moved) {
    String useCountry = null;
    if (kind.equals("RETIRED")) {
      useCountry = RetirementPurpose.useCountry(RetirementPurpose.valueOf(entry.string("purpose")), entry.optionalString("ndcCountry"));
    } else if (!kind.equals("CANCELLED") || !CancellationReason.valueOf(entry.string("reason")).completesFirstTransfer()) {
      return Future.succeededFuture();
    }
    String[] issuances = moved.stream().map(Block::issuanceId).distinct().toArray(String[]::new);
    return update(sql, """
        UPDATE issuances i SET first_transfer = 'DONE'
          FROM authorisations a
         WHERE i.issuance_id = ANY($1) AND i.first_transfer = 'PENDING'
           AND a.authorisation_id = i.authorisation_id AND a.first_transfer_definition = 'USE_OR_CANCELLATION'
           AND a.host_country IS DISTINCT FROM $2""",
        Tuple.of(issuances, useCountry));
  }

  private static Future<Void> retired(SqlConnection sql, long seq, DataReader entry) {
    DataReader beneficiary = entry.object("beneficiary");
    DataReader claim = entry.optionalObject("claimPeriod");
    DataReader corsia = entry.optionalObject("corsia");
    return update(sql, """
        INSERT INTO retirements (seq, account_id, quantity, purpose, beneficiary_name, beneficiary_id, claim_start,
          claim_end, reporting_year, corsia_operator, corsia_operator_state, corsia_compliance_period, ndc_country, note)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""",
        tuple(seq, entry.string("accountId"), entry.number("quantity"),
            entry.string("purpose"), beneficiary.string("name"), beneficiary.optionalString("id"),
            claim == null ? null : claim.date("start"), claim == null ? null : claim.date("end"),
            entry.optionalYear("reportingYear"),
            corsia == null ? null : corsia.string("operator"), corsia == null ? null : corsia.string("operatorState"),
            corsia == null ? null : corsia.string("compliancePeriod"), entry.optionalString("ndcCountry"),
            entry.optionalString("note")));
  }
}
