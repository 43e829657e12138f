package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.carbonledger.registry.Account;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.ApplyCorrespondingAdjustment;
import org.carbonledger.registry.ApplyCorrespondingAdjustmentSnapshot;
import org.carbonledger.registry.Authorisation;
import org.carbonledger.registry.BlockView;
import org.carbonledger.registry.Cancel;
import org.carbonledger.registry.CancelSnapshot;
import org.carbonledger.registry.ChangeAccountStatus;
import org.carbonledger.registry.ChangeAccountStatusSnapshot;
import org.carbonledger.registry.Issuance;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.IssueSnapshot;
import org.carbonledger.registry.Limits;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.OpenAccountSnapshot;
import org.carbonledger.registry.OtherRegistration;
import org.carbonledger.registry.Project;
import org.carbonledger.registry.RecordAuthorisation;
import org.carbonledger.registry.RecordAuthorisationSnapshot;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.RegisterProjectSnapshot;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.RetireSnapshot;
import org.carbonledger.registry.SerialRange;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.TransferSnapshot;
import org.carbonledger.registry.UnitSelection;

/**
 * SnapshotLoader reads, inside the writer's transaction, exactly the state each command's rules need: the
 * "the store loads" contract written on each snapshot record in the registry package. Because it runs in
 * the batch's transaction, it sees the commands before it in the batch.
 */
public final class SnapshotLoader {

  private final SqlClient sql;

  /** In the writer, {@code sql} is the batch's transaction; for reads, the pool. */
  public SnapshotLoader(SqlClient sql) {
    this.sql = sql;
  }

  /** An issuance with its project and authorisation, as CORSIA eligibility reads them; empty if there is no such issuance. */
  public Future<Optional<IssuanceContext>> issuanceContext(String issuanceId) {
    return applyCorrespondingAdjustment(new ApplyCorrespondingAdjustment(issuanceId, null, null)).compose(found -> {
      if (found.issuance() == null) {
        return Future.succeededFuture(Optional.empty());
      }
      return project(found.issuance().projectId()).map(project ->
          Optional.of(new IssuanceContext(found.issuance(), project.orElseThrow(), found.authorisation())));
    });
  }

  /** IssuanceContext is an issuance with its project and its authorisation (null without one). */
  public record IssuanceContext(Issuance issuance, Project project, Authorisation authorisation) {}

  Future<OpenAccountSnapshot> openAccount(OpenAccount command) {
    Future<Optional<org.carbonledger.registry.Holder>> holder = command.holderId() == null ? Future.succeededFuture(Optional.empty())
        : one("SELECT * FROM account_holders WHERE holder_id = $1", Tuple.of(command.holderId()), DomainRows::holder);
    Future<Optional<Account>> issuanceAccount = command.type() != AccountType.ISSUANCE || command.program() == null
        ? Future.succeededFuture(Optional.empty())
        : one("SELECT * FROM accounts WHERE type = 'ISSUANCE' AND program = $1", Tuple.of(command.program()), DomainRows::account);
    return Future.all(holder, issuanceAccount, count("account_holders"), count("accounts")).map(all ->
        new OpenAccountSnapshot(holder.result().orElse(null), issuanceAccount.result().orElse(null),
            all.<Long>resultAt(2) + 1, all.<Long>resultAt(3) + 1));
  }

  Future<ChangeAccountStatusSnapshot> changeAccountStatus(ChangeAccountStatus command) {
    return Future.all(account(command.accountId()), activeQuantity(command.accountId())).map(all ->
        new ChangeAccountStatusSnapshot(all.<Optional<Account>>resultAt(0).orElse(null), all.<Long>resultAt(1)));
  }

  Future<RegisterProjectSnapshot> registerProject(RegisterProject command) {
    return Future.all(
            one("SELECT * FROM projects WHERE program = $1 AND program_project_id = $2",
                Tuple.of(command.program(), command.programProjectId()), row -> row.getString("project_id")),
            count("projects"))
        .compose(all -> {
          Optional<String> existingId = all.resultAt(0);
          long next = all.<Long>resultAt(1) + 1;
          return existingId.isEmpty() ? Future.succeededFuture(new RegisterProjectSnapshot(null, next))
              : project(existingId.get()).map(existing -> new RegisterProjectSnapshot(existing.orElse(null), next));
        });
  }

  Future<RecordAuthorisationSnapshot> recordAuthorisation(RecordAuthorisation command) {
    return Future.all(one("SELECT * FROM authorisations WHERE loa_reference = $1", Tuple.of(command.loaReference()),
            DomainRows::authorisation), count("authorisations"))
        .map(all -> new RecordAuthorisationSnapshot(all.<Optional<Authorisation>>resultAt(0).orElse(null), all.<Long>resultAt(1) + 1));
  }

  Future<IssueSnapshot> issue(Issue command) {
    return project(command.projectId()).compose(found -> {
      Project project = found.orElse(null);
      Future<Optional<Account>> issuanceAccount = project == null ? Future.succeededFuture(Optional.empty())
          : one("SELECT * FROM accounts WHERE type = 'ISSUANCE' AND program = $1", Tuple.of(project.program()), DomainRows::account);
      org.carbonledger.registry.Period period = command.monitoringPeriod();
      Future<List<Issuance>> projectIssuances = project == null || period == null || !period.isOrdered()
          ? Future.succeededFuture(List.of())
          : all("SELECT " + DomainRows.ISSUANCE_COLUMNS + """
                 FROM issuances i WHERE i.project_id = $1 AND i.monitoring_start <= $3 AND i.monitoring_end >= $2
                ORDER BY i.issuance_id""", Tuple.of(project.projectId(), period.start(), period.end()), DomainRows::issuance);
      Future<Optional<Authorisation>> authorisation = command.authorisationId() == null ? Future.succeededFuture(Optional.empty())
          : one("SELECT * FROM authorisations WHERE authorisation_id = $1", Tuple.of(command.authorisationId()), DomainRows::authorisation);
      Future<Long> authorisedIssued = command.authorisationId() == null ? Future.succeededFuture(0L)
          : one("SELECT coalesce(sum(quantity), 0)::bigint FROM issuances WHERE authorisation_id = $1",
              Tuple.of(command.authorisationId()), row -> row.getLong(0)).map(sum -> sum.orElse(0L));
      Future<List<Issuance>> serialOverlaps = serialOverlaps(command);
      Future<Long> issuances = count("issuances");
      Future<Long> nextFreeSerial = one("SELECT coalesce(max(serial_end), 0)::bigint + 1 FROM issuances", Tuple.tuple(),
          row -> row.getLong(0)).map(Optional::orElseThrow);
      return Future.all(List.of(issuanceAccount, projectIssuances, authorisation, authorisedIssued, serialOverlaps, issuances, nextFreeSerial))
          .map(all -> new IssueSnapshot(project, issuanceAccount.result().orElse(null), projectIssuances.result(),
              authorisation.result().orElse(null), authorisedIssued.result(), serialOverlaps.result(), issuances.result() + 1,
              nextFreeSerial.result()));
    });
  }

  private Future<List<Issuance>> serialOverlaps(Issue command) {
    Long start = command.serialStart();
    if (start == null || command.quantity() < 1 || start < 1 || start > Limits.SERIAL_MAX - command.quantity() + 1) {
      return Future.succeededFuture(List.of());
    }
    return all("SELECT " + DomainRows.ISSUANCE_COLUMNS + " FROM issuances i WHERE i.serial_start <= $2 AND i.serial_end >= $1 ORDER BY i.serial_start",
        Tuple.of(start, start + command.quantity() - 1), DomainRows::issuance);
  }

  Future<TransferSnapshot> transfer(Transfer command) {
    return Future.all(account(command.fromAccountId()), account(command.toAccountId()), candidates(command.fromAccountId(), command.selection()))
        .map(all -> new TransferSnapshot(all.<Optional<Account>>resultAt(0).orElse(null),
            all.<Optional<Account>>resultAt(1).orElse(null), all.resultAt(2)));
  }

  Future<RetireSnapshot> retire(Retire command) {
    return Future.all(account(command.accountId()), candidates(command.accountId(), command.selection())).compose(all -> {
      List<BlockView> candidates = all.resultAt(1);
      List<String> projectIds = candidates.stream().map(view -> view.issuance().projectId()).distinct().toList();
      List<String> authorisationIds = candidates.stream().map(view -> view.issuance().authorisationId())
          .filter(java.util.Objects::nonNull).distinct().toList();
      Future<Map<String, Project>> projects = projects(projectIds);
      Future<List<Authorisation>> authorisations = all("SELECT * FROM authorisations WHERE authorisation_id = ANY($1)",
          Tuple.of(authorisationIds.toArray(String[]::new)), DomainRows::authorisation);
      return Future.all(projects, authorisations).map(loaded -> {
        Map<String, Authorisation> byId = new HashMap<>();
        authorisations.result().forEach(authorisation -> byId.put(authorisation.authorisationId(), authorisation));
        return new RetireSnapshot(all.<Optional<Account>>resultAt(0).orElse(null), candidates, projects.result(), byId);
      });
    });
  }

  Future<CancelSnapshot> cancel(Cancel command) {
    return Future.all(account(command.accountId()), candidates(command.accountId(), command.selection()))
        .map(all -> new CancelSnapshot(all.<Optional<Account>>resultAt(0).orElse(null), all.resultAt(1)));
  }

  Future<ApplyCorrespondingAdjustmentSnapshot> applyCorrespondingAdjustment(ApplyCorrespondingAdjustment command) {
    return one("SELECT " + DomainRows.ISSUANCE_COLUMNS + " FROM issuances i WHERE i.issuance_id = $1", Tuple.of(command.issuanceId()),
            DomainRows::issuance)
        .compose(issuance -> issuance.isEmpty() || issuance.get().authorisationId() == null
            ? Future.succeededFuture(new ApplyCorrespondingAdjustmentSnapshot(issuance.orElse(null), null))
            : one("SELECT * FROM authorisations WHERE authorisation_id = $1", Tuple.of(issuance.get().authorisationId()),
                DomainRows::authorisation)
                .map(authorisation -> new ApplyCorrespondingAdjustmentSnapshot(issuance.get(), authorisation.orElse(null))));
  }

  /** The candidate blocks of a selection, exactly as BlockView's contract defines them. */
  private Future<List<BlockView>> candidates(String accountId, UnitSelection selection) {
    int limit = Limits.BLOCKS_PER_ENTRY_MAX + 1;
    String columns = "b.serial_start, b.serial_end, b.issuance_id, b.account_id, b.state, " + DomainRows.ISSUANCE_COLUMNS;
    if (selection instanceof UnitSelection.Ranges ranges) {
      // Distinct well-formed ranges only: this runs inside the writer's transaction, and a hostile list of
      // the same wide range repeated must not multiply the work while every other write waits.
      List<SerialRange> wellFormed = ranges.ranges().stream().filter(java.util.Objects::nonNull)
          .filter(SerialRange::isWellFormed).distinct().toList();
      if (wellFormed.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      // Blocks never overlap, so those meeting [s, e] are the one holding s and those starting in (s, e]:
      // two primary-key scans per range, each stopping at `limit`, whatever the size of the registry.
      return all("SELECT DISTINCT " + columns + """
               FROM unnest($1::bigint[], $2::bigint[]) AS wanted(s, e)
               JOIN LATERAL (
                 (SELECT * FROM blocks WHERE serial_start <= wanted.s ORDER BY serial_start DESC LIMIT 1)
                 UNION ALL
                 (SELECT * FROM blocks WHERE serial_start > wanted.s AND serial_start <= wanted.e ORDER BY serial_start LIMIT $3)
               ) b ON b.serial_end >= wanted.s
               JOIN issuances i ON i.issuance_id = b.issuance_id
              ORDER BY b.serial_start LIMIT $3""",
          Tuple.of(wellFormed.stream().map(SerialRange::start).toArray(Long[]::new),
              wellFormed.stream().map(SerialRange::end).toArray(Long[]::new), limit),
          row -> new BlockView(DomainRows.block(row), DomainRows.issuance(row)));
    }
    UnitSelection.ByQuantity byQuantity = (UnitSelection.ByQuantity) selection;
    if (byQuantity.quantity() < 1 || accountId == null) {
      return Future.succeededFuture(List.of());
    }
    // Blocks in the documented order, up to and including the one that completes the quantity.
    return all("SELECT * FROM (SELECT " + columns + """
                    , sum(b.serial_end - b.serial_start + 1) OVER (ORDER BY i.vintage, b.serial_start ROWS UNBOUNDED PRECEDING) AS held
                 FROM blocks b JOIN issuances i ON i.issuance_id = b.issuance_id
                WHERE b.account_id = $1 AND b.state = 'ACTIVE'
                  AND ($2::text IS NULL OR i.issuance_id = $2) AND ($3::text IS NULL OR i.project_id = $3)
                  AND ($4::int IS NULL OR i.vintage = $4)) picked
              WHERE held - (serial_end - serial_start + 1) < $5
              ORDER BY vintage, serial_start LIMIT $6""",
        Tuple.from(Arrays.asList(accountId, byQuantity.issuanceId(), byQuantity.projectId(), byQuantity.vintage(),
            byQuantity.quantity(), limit)),
        row -> new BlockView(DomainRows.block(row), DomainRows.issuance(row)));
  }

  private Future<Optional<Account>> account(String accountId) {
    return accountId == null ? Future.succeededFuture(Optional.empty())
        : one("SELECT * FROM accounts WHERE account_id = $1", Tuple.of(accountId), DomainRows::account);
  }

  private Future<Long> activeQuantity(String accountId) {
    return one("SELECT coalesce(sum(serial_end - serial_start + 1), 0)::bigint FROM blocks WHERE account_id = $1 AND state = 'ACTIVE'",
        Tuple.of(accountId), row -> row.getLong(0)).map(sum -> sum.orElse(0L));
  }

  private Future<Optional<Project>> project(String projectId) {
    return projectId == null ? Future.succeededFuture(Optional.empty())
        : projects(List.of(projectId)).map(found -> Optional.ofNullable(found.get(projectId)));
  }

  private Future<Map<String, Project>> projects(List<String> projectIds) {
    Tuple ids = Tuple.of(projectIds.toArray(String[]::new));
    Future<RowSet<Row>> projects = sql.preparedQuery("SELECT * FROM projects WHERE project_id = ANY($1)").execute(ids);
    Future<RowSet<Row>> registrations = sql.preparedQuery(
        "SELECT * FROM project_registrations WHERE project_id = ANY($1) ORDER BY project_id, position").execute(ids);
    return Future.all(projects, registrations).map(all -> {
      Map<String, List<OtherRegistration>> others = new HashMap<>();
      registrations.result().forEach(row -> others.computeIfAbsent(row.getString("project_id"), id -> new ArrayList<>())
          .add(DomainRows.otherRegistration(row)));
      Map<String, Project> found = new HashMap<>();
      projects.result().forEach(row -> found.put(row.getString("project_id"),
          DomainRows.project(row, others.getOrDefault(row.getString("project_id"), List.of()))));
      return found;
    });
  }

  private Future<Long> count(String table) {
    return sql.query("SELECT count(*) FROM " + table).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  private <T> Future<Optional<T>> one(String query, Tuple arguments, Function<Row, T> map) {
    return sql.preparedQuery(query).execute(arguments)
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next())));
  }

  private <T> Future<List<T>> all(String query, Tuple arguments, Function<Row, T> map) {
    return sql.preparedQuery(query).execute(arguments).map(rows -> {
      List<T> out = new ArrayList<>(rows.size());
      rows.forEach(row -> out.add(map.apply(row)));
      return out;
    });
  }
}
