package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.carbonledger.registry.Authorisation;
import org.carbonledger.registry.Issuance;
import org.carbonledger.registry.OtherRegistration;
import org.carbonledger.registry.Project;

/**
 * IssuanceContexts reads an issuance with its project and its authorisation from the registry's tables, as
 * domain values: what CORSIA eligibility is computed from when the API answers a serial's labels.
 */
public final class IssuanceContexts {

  private final SqlClient sql;

  public IssuanceContexts(SqlClient sql) {
    this.sql = sql;
  }

  /** An issuance with its project and authorisation, as CORSIA eligibility reads them; empty if there is no such issuance. */
  public Future<Optional<IssuanceContext>> issuanceContext(String issuanceId) {
    return one("SELECT " + DomainRows.ISSUANCE_COLUMNS + " FROM issuances i WHERE i.issuance_id = $1", Tuple.of(issuanceId),
            DomainRows::issuance)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
          }
          Issuance issuance = found.get();
          Future<Optional<Authorisation>> authorisation = issuance.authorisationId() == null ? Future.succeededFuture(Optional.empty())
              : one("SELECT * FROM authorisations WHERE authorisation_id = $1", Tuple.of(issuance.authorisationId()),
                  DomainRows::authorisation);
          return Future.all(project(issuance.projectId()), authorisation).map(both -> Optional.of(
              new IssuanceContext(issuance, both.<Optional<Project>>resultAt(0).orElseThrow(), authorisation.result().orElse(null))));
        });
  }

  /** IssuanceContext is an issuance with its project and its authorisation (null without one). */
  public record IssuanceContext(Issuance issuance, Project project, Authorisation authorisation) {}

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

  private <T> Future<Optional<T>> one(String query, Tuple arguments, Function<Row, T> map) {
    return sql.preparedQuery(query).execute(arguments)
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next())));
  }

}
