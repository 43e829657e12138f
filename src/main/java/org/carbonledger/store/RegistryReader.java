package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.carbonledger.store.RegistryRows.AccountRow;
import org.carbonledger.store.RegistryRows.AuthorisationRow;
import org.carbonledger.store.RegistryRows.BlockRowView;
import org.carbonledger.store.RegistryRows.ConservationRow;
import org.carbonledger.store.RegistryRows.Corsia;
import org.carbonledger.store.RegistryRows.CustodyStep;
import org.carbonledger.store.RegistryRows.HolderRow;
import org.carbonledger.store.RegistryRows.IssuanceRow;
import org.carbonledger.store.RegistryRows.MovementRow;
import org.carbonledger.store.RegistryRows.OtherRegistrationRow;
import org.carbonledger.store.RegistryRows.Period;
import org.carbonledger.store.RegistryRows.ProjectRow;
import org.carbonledger.store.RegistryRows.RetirementRow;
import org.carbonledger.store.RegistryRows.StatisticsRow;

/**
 * RegistryReader answers the registry's queries from the projections. Lookups by id take many ids at once
 * (one statement per batch, for DataLoaders); lists page by key, so a cursor stays valid as entries are
 * appended. It never writes.
 */
public final class RegistryReader {

  /** Filters of a list query: column condition with one {@code ?} placeholder, and its value; null values are skipped. */
  public record Condition(String sql, Object value) {}

  /** An account's columns and its kept balance, read in the same statement (a balance read is one statement). */
  private static final String ACCOUNT_COLUMNS = "account_id, holder_id, name, type, program, status, opened_seq, "
      + "(SELECT active FROM account_balances b WHERE b.account_id = accounts.account_id) AS active";
  private static final String PROJECT_COLUMNS = """
      project_id, program, program_project_id, name, host_country, methodology, category, mitigation_type,
      crediting_start, crediting_end, activity_start, tse_market_class""";
  private static final String ISSUANCE_SELECT = """
      SELECT i.issuance_id, i.project_id, i.account_id, i.monitoring_start, i.monitoring_end, i.vintage, i.quantity,
             i.serial_start, i.serial_end, i.unit_type, i.labels, i.authorisation_id, i.corresponding_adjustment,
             i.ca_report_reference, i.first_transfer, i.issued_seq,
             coalesce(t.active, 0) AS active, coalesce(t.retired, 0) AS retired, coalesce(t.cancelled, 0) AS cancelled
        FROM issuances i
        LEFT JOIN LATERAL (
          SELECT sum(serial_end - serial_start + 1) FILTER (WHERE state = 'ACTIVE') AS active,
                 sum(serial_end - serial_start + 1) FILTER (WHERE state = 'RETIRED') AS retired,
                 sum(serial_end - serial_start + 1) FILTER (WHERE state = 'CANCELLED') AS cancelled
            FROM blocks b WHERE b.issuance_id = i.issuance_id) t ON true
        JOIN projects p ON p.project_id = i.project_id""";
  private static final String BLOCK_SELECT = """
      SELECT b.serial_start, b.serial_end, b.issuance_id, b.account_id, b.state, b.updated_seq
        FROM blocks b JOIN issuances i ON i.issuance_id = b.issuance_id JOIN projects p ON p.project_id = i.project_id""";

  private final Pool pool;

  public RegistryReader(Pool pool) {
    this.pool = pool;
  }

  // ---- lookups by id, for DataLoaders: one statement per batch ----

  public Future<Map<String, HolderRow>> holders(Collection<String> ids) {
    return byIds("SELECT holder_id, name, country FROM account_holders", "holder_id", ids,
        row -> new HolderRow(row.getString(0), row.getString(1), row.getString(2)), HolderRow::holderId);
  }

  public Future<Map<String, AccountRow>> accounts(Collection<String> ids) {
    return byIds("SELECT " + ACCOUNT_COLUMNS + " FROM accounts", "account_id", ids,
        RegistryReader::account, AccountRow::accountId);
  }

  public Future<Map<String, ProjectRow>> projects(Collection<String> ids) {
    return byIds("SELECT " + PROJECT_COLUMNS + " FROM projects", "project_id", ids,
        RegistryReader::project, ProjectRow::projectId);
  }

  public Future<Map<String, IssuanceRow>> issuances(Collection<String> ids) {
    return byIds(ISSUANCE_SELECT, "i.issuance_id", ids, RegistryReader::issuance, IssuanceRow::issuanceId);
  }

  public Future<Map<String, AuthorisationRow>> authorisations(Collection<String> ids) {
    return byIds("""
        SELECT a.authorisation_id, a.host_country, a.loa_reference, a.loa_date, a.purpose, a.first_transfer_definition,
               a.authorised_quantity, coalesce((SELECT sum(quantity) FROM issuances i WHERE i.authorisation_id = a.authorisation_id), 0),
               a.vintage_from, a.vintage_to, a.corresponding_adjustment_attested, coalesce(a.project_ids, '{}')
          FROM authorisations a""", "a.authorisation_id", ids,
        row -> new AuthorisationRow(row.getString(0), row.getString(1), row.getString(2), row.getLocalDate(3),
            row.getString(4), row.getString(5), row.getLong(6), row.getLong(7), row.getInteger(8), row.getInteger(9),
            row.getBoolean(10), List.of(row.getArrayOfStrings(11))),
        AuthorisationRow::authorisationId);
  }

  public Future<Map<String, List<AccountRow>>> accountsOfHolders(Collection<String> holderIds) {
    return groupedBy("SELECT " + ACCOUNT_COLUMNS + " FROM accounts", "holder_id", holderIds, "account_id",
        RegistryReader::account, AccountRow::holderId);
  }

  public Future<Map<String, List<IssuanceRow>>> issuancesOfProjects(Collection<String> projectIds) {
    return groupedBy(ISSUANCE_SELECT, "i.project_id", projectIds, "i.issuance_id", RegistryReader::issuance, IssuanceRow::projectId);
  }

  public Future<Map<String, List<OtherRegistrationRow>>> otherRegistrations(Collection<String> projectIds) {
    return withKeys("SELECT project_id, program, external_id, period_start, period_end, cancelled FROM project_registrations",
            "project_id", projectIds, "project_id, position")
        .map(rows -> {
          Map<String, List<OtherRegistrationRow>> grouped = new HashMap<>();
          rows.forEach(row -> grouped.computeIfAbsent(row.getString(0), id -> new ArrayList<>()).add(new OtherRegistrationRow(
              row.getString(1), row.getString(2), new Period(row.getLocalDate(3), row.getLocalDate(4)), row.getBoolean(5))));
          return grouped;
        });
  }

  // ---- lists, paged by key ----

  public Future<List<AccountRow>> accountPage(List<Condition> conditions, String afterId, int limit) {
    return page("SELECT " + ACCOUNT_COLUMNS + " FROM accounts", conditions, "account_id", afterId, false, limit, RegistryReader::account);
  }

  public Future<List<ProjectRow>> projectPage(List<Condition> conditions, String afterId, int limit) {
    return page("SELECT " + PROJECT_COLUMNS + " FROM projects", conditions, "project_id", afterId, false, limit, RegistryReader::project);
  }

  public Future<List<IssuanceRow>> issuancePage(List<Condition> conditions, String afterId, int limit) {
    return page(ISSUANCE_SELECT, conditions, "i.issuance_id", afterId, false, limit, RegistryReader::issuance);
  }

  public Future<List<BlockRowView>> blockPage(List<Condition> conditions, Long afterStart, int limit) {
    return page(BLOCK_SELECT, conditions, "b.serial_start", afterStart, false, limit, RegistryReader::block);
  }

  /** Retirements newest first; {@code beforeSeq} continues an earlier page. */
  public Future<List<RetirementRow>> retirementPage(List<Condition> conditions, Long beforeSeq, int limit) {
    return page("SELECT r.*, e.entry_time FROM retirements r JOIN entries e ON e.seq = r.seq", conditions, "r.seq",
        beforeSeq, true, limit, RegistryReader::retirement);
  }

  /** The serial ranges each entry moved, by seq. */
  public Future<Map<Long, List<long[]>>> movedRanges(Collection<Long> seqs) {
    return pool.preparedQuery("SELECT seq, serial_start, serial_end FROM movements WHERE seq = ANY($1) ORDER BY seq, position")
        .execute(Tuple.of(seqs.toArray(Long[]::new)))
        .map(rows -> {
          Map<Long, List<long[]>> ranges = new HashMap<>();
          rows.forEach(row -> ranges.computeIfAbsent(row.getLong(0), seq -> new ArrayList<>())
              .add(new long[] {row.getLong(1), row.getLong(2)}));
          return ranges;
        });
  }

  // ---- serials ----

  public Future<Optional<BlockRowView>> blockContaining(long serial) {
    return pool.preparedQuery("""
            SELECT serial_start, serial_end, issuance_id, account_id, state, updated_seq FROM blocks
             WHERE serial_start <= $1 ORDER BY serial_start DESC LIMIT 1""")
        .execute(Tuple.of(serial))
        .map(rows -> rows.size() == 0 ? Optional.<BlockRowView>empty() : Optional.of(block(rows.iterator().next()))
            .filter(block -> block.serialEnd() >= serial));
  }

  /**
   * The movements of serial $1, and the corresponding adjustment of its issuance $2 if one was applied: an entry
   * about the unit too, and the one that lets it count for CORSIA or another country's NDC.
   */
  private static final String MOVEMENTS_OF_SERIAL = """
      SELECT seq, position, kind, serial_start, serial_end, issuance_id, from_account, to_account FROM movements
       WHERE int8range(serial_start, serial_end, '[]') @> $1::bigint
      UNION ALL
      SELECT ca_seq, 0, 'CORRESPONDING_ADJUSTMENT_APPLIED', serial_start, serial_end, issuance_id, NULL, NULL
        FROM issuances WHERE issuance_id = $2 AND ca_seq IS NOT NULL""";
  private static final String CUSTODY = MOVEMENTS_OF_SERIAL + " ORDER BY seq, position LIMIT $3";
  /**
   * The same with each movement's entry. The movements are a MATERIALIZED CTE because a generic plan guesses
   * 5,000 rows for {@code @>}; with the join that made PostgreSQL start two parallel workers for every read
   * (13 ms instead of 0.2 ms, on a test table of a million entries), and a CTE scan never runs under a
   * parallel Gather.
   */
  private static final String CUSTODY_WITH_ENTRIES = "WITH m AS MATERIALIZED (" + CUSTODY + ")\n" + """
      SELECT m.seq, m.kind, m.serial_start, m.serial_end, m.issuance_id, m.from_account, m.to_account,
             e.leaf_hash, e.type, e.entry_time, e.body
        FROM m LEFT JOIN entries e ON e.seq = m.seq ORDER BY m.seq, m.position""";

  /**
   * Every movement of {@code serial}, of issuance {@code issuanceId}, and the corresponding adjustment applied to
   * that issuance, oldest first (its chain of custody), in one statement; with {@code withEntries}, each with the
   * entry that made it. An entry is null when not asked for, or when the log lacks it: a projection that does not
   * match the log. At most the first {@code stepsMax} steps: a unit passed back and forth has no bound of its own,
   * so a caller that refuses long chains asks for one step more than it answers with.
   */
  public Future<List<CustodyStep>> custodyOf(long serial, String issuanceId, boolean withEntries, int stepsMax) {
    return pool.preparedQuery(withEntries ? CUSTODY_WITH_ENTRIES : CUSTODY).execute(Tuple.of(serial, issuanceId, stepsMax))
        .map(rows -> {
          List<CustodyStep> steps = new ArrayList<>();
          rows.forEach(row -> steps.add(new CustodyStep(
              new MovementRow(row.getLong("seq"), row.getString("kind"), row.getLong("serial_start"), row.getLong("serial_end"),
                  row.getString("issuance_id"), row.getString("from_account"), row.getString("to_account")),
              withEntries && row.getBuffer("body") != null ? LogReader.entry(row) : null)));
          return steps;
        });
  }

  // ---- statistics ----

  /** Issued, retired and cancelled units per year of the entry, split by {@code dimension} (a projects column) if given. */
  public Future<List<StatisticsRow>> statistics(String dimension) {
    String key = dimension == null ? "NULL::text" : "p." + dimension;
    return pool.query("""
            WITH events AS (
              SELECT m.seq, m.kind, m.serial_end - m.serial_start + 1 AS units, m.issuance_id
                FROM movements m WHERE m.kind IN ('ISSUED', 'RETIRED', 'CANCELLED'))
            SELECT extract(year FROM e.entry_time AT TIME ZONE 'UTC')::int AS year, %s AS key,
                   coalesce(sum(units) FILTER (WHERE kind = 'ISSUED'), 0) AS issued,
                   coalesce(sum(units) FILTER (WHERE kind = 'RETIRED'), 0) AS retired,
                   coalesce(sum(units) FILTER (WHERE kind = 'CANCELLED'), 0) AS cancelled
              FROM events v JOIN entries e ON e.seq = v.seq
              JOIN issuances i ON i.issuance_id = v.issuance_id JOIN projects p ON p.project_id = i.project_id
             GROUP BY 1, 2 ORDER BY 1, 2""".formatted(key)).execute()
        .map(rows -> {
          List<StatisticsRow> statistics = new ArrayList<>();
          rows.forEach(row -> statistics.add(new StatisticsRow(row.getInteger(0), row.getString(1), row.getLong(2),
              row.getLong(3), row.getLong(4))));
          return statistics;
        });
  }

  /** The conservation check per project and vintage, of one project or all. */
  public Future<List<ConservationRow>> conservation(String projectId) {
    return pool.preparedQuery("""
            SELECT i.project_id, i.vintage, sum(i.quantity)::bigint,
                   coalesce(sum(t.active), 0)::bigint, coalesce(sum(t.retired), 0)::bigint, coalesce(sum(t.cancelled), 0)::bigint
              FROM issuances i
              LEFT JOIN LATERAL (
                SELECT sum(serial_end - serial_start + 1) FILTER (WHERE state = 'ACTIVE') AS active,
                       sum(serial_end - serial_start + 1) FILTER (WHERE state = 'RETIRED') AS retired,
                       sum(serial_end - serial_start + 1) FILTER (WHERE state = 'CANCELLED') AS cancelled
                  FROM blocks b WHERE b.issuance_id = i.issuance_id) t ON true
             WHERE $1::text IS NULL OR i.project_id = $1
             GROUP BY i.project_id, i.vintage ORDER BY i.project_id, i.vintage""")
        .execute(Tuple.of(projectId))
        .map(rows -> {
          List<ConservationRow> checks = new ArrayList<>();
          rows.forEach(row -> checks.add(new ConservationRow(row.getString(0), row.getInteger(1), row.getLong(2),
              row.getLong(3), row.getLong(4), row.getLong(5))));
          return checks;
        });
  }

  // ---- plumbing ----

  /**
   * The rows of {@code select} whose {@code keyColumn} is one of {@code keys}, ordered by {@code orderBy} (none when
   * null). One key, a DataLoader's usual batch, is asked for with {@code = $1}: PostgreSQL plans that once per
   * connection, while {@code = ANY($1)}, whose generic plan guesses ten keys, was planned anew on every call (a
   * balance read spent 0.11 ms planning, 0.05 running).
   */
  private Future<RowSet<Row>> withKeys(String select, String keyColumn, Collection<String> keys, String orderBy) {
    String order = orderBy == null ? "" : " ORDER BY " + orderBy;
    return keys.size() == 1
        ? pool.preparedQuery(select + " WHERE " + keyColumn + " = $1" + order).execute(Tuple.of(keys.iterator().next()))
        : pool.preparedQuery(select + " WHERE " + keyColumn + " = ANY($1)" + order).execute(Tuple.of(keys.toArray(String[]::new)));
  }

  private <T> Future<Map<String, T>> byIds(String select, String keyColumn, Collection<String> ids, Function<Row, T> map,
                                           Function<T, String> id) {
    return withKeys(select, keyColumn, ids, null).map(rows -> {
      Map<String, T> found = new HashMap<>();
      rows.forEach(row -> {
        T value = map.apply(row);
        found.put(id.apply(value), value);
      });
      return found;
    });
  }

  private <T> Future<Map<String, List<T>>> groupedBy(String select, String keyColumn, Collection<String> keys, String orderBy,
                                                     Function<Row, T> map, Function<T, String> key) {
    return withKeys(select, keyColumn, keys, orderBy).map(rows -> {
      Map<String, List<T>> grouped = new HashMap<>();
      rows.forEach(row -> {
        T value = map.apply(row);
        grouped.computeIfAbsent(key.apply(value), k -> new ArrayList<>()).add(value);
      });
      return grouped;
    });
  }

  /** A keyset page: the conditions, then key > after (or < after, descending), ordered by key, at most limit rows. */
  private <T> Future<List<T>> page(String select, List<Condition> conditions, String key, Object after, boolean descending,
                                   int limit, Function<Row, T> map) {
    List<String> where = new ArrayList<>();
    List<Object> arguments = new ArrayList<>();
    for (Condition condition : conditions) {
      if (condition.value() != null) {
        arguments.add(condition.value());
        where.add(condition.sql().replace("?", "$" + arguments.size()));
      }
    }
    if (after != null) {
      arguments.add(after);
      where.add(key + (descending ? " < $" : " > $") + arguments.size());
    }
    arguments.add(limit);
    String sql = select + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY " + key + (descending ? " DESC" : "") + " LIMIT $" + arguments.size();
    return pool.preparedQuery(sql).execute(Tuple.from(arguments)).map(rows -> mapAll(rows, map));
  }

  private static <T> List<T> mapAll(RowSet<Row> rows, Function<Row, T> map) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(map.apply(row)));
    return out;
  }

  private static AccountRow account(Row row) {
    return new AccountRow(row.getString("account_id"), row.getString("holder_id"), row.getString("name"),
        row.getString("type"), row.getString("program"), row.getString("status"), row.getLong("opened_seq"),
        row.getLong("active"));
  }

  private static ProjectRow project(Row row) {
    return new ProjectRow(row.getString("project_id"), row.getString("program"), row.getString("program_project_id"),
        row.getString("name"), row.getString("host_country"), row.getString("methodology"), row.getString("category"),
        row.getString("mitigation_type"), new Period(row.getLocalDate("crediting_start"), row.getLocalDate("crediting_end")),
        row.getLocalDate("activity_start"), row.getString("tse_market_class"));
  }

  private static IssuanceRow issuance(Row row) {
    return new IssuanceRow(row.getString("issuance_id"), row.getString("project_id"), row.getString("account_id"),
        new Period(row.getLocalDate("monitoring_start"), row.getLocalDate("monitoring_end")), row.getInteger("vintage"),
        row.getLong("quantity"), row.getLong("serial_start"), row.getLong("serial_end"), row.getString("unit_type"),
        Arrays.asList(row.getArrayOfStrings("labels")), row.getString("authorisation_id"),
        row.getString("corresponding_adjustment"), row.getString("ca_report_reference"), row.getString("first_transfer"),
        row.getLong("issued_seq"), row.getLong("active"), row.getLong("retired"), row.getLong("cancelled"));
  }

  private static BlockRowView block(Row row) {
    return new BlockRowView(row.getLong("serial_start"), row.getLong("serial_end"), row.getString("issuance_id"),
        row.getString("account_id"), row.getString("state"), row.getLong("updated_seq"));
  }

  private static RetirementRow retirement(Row row) {
    Period claim = row.getLocalDate("claim_start") == null ? null
        : new Period(row.getLocalDate("claim_start"), row.getLocalDate("claim_end"));
    Corsia corsia = row.getString("corsia_operator") == null ? null
        : new Corsia(row.getString("corsia_operator"), row.getString("corsia_operator_state"), row.getString("corsia_compliance_period"));
    return new RetirementRow(row.getLong("seq"), row.getOffsetDateTime("entry_time").toInstant(), row.getString("account_id"),
        row.getLong("quantity"), row.getString("purpose"), row.getString("beneficiary_name"), row.getString("beneficiary_id"),
        claim, row.getInteger("reporting_year"), corsia, row.getString("ndc_country"), row.getString("note"));
  }
}
