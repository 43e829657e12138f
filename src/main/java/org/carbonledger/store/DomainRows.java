package org.carbonledger.store;

import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.List;
import org.carbonledger.registry.Authorisation;
import org.carbonledger.registry.AuthorisationPurpose;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.CorrespondingAdjustmentStatus;
import org.carbonledger.registry.FirstTransferDefinition;
import org.carbonledger.registry.FirstTransferState;
import org.carbonledger.registry.Issuance;
import org.carbonledger.registry.MitigationType;
import org.carbonledger.registry.OtherRegistration;
import org.carbonledger.registry.Period;
import org.carbonledger.registry.Project;
import org.carbonledger.registry.ProjectCategory;
import org.carbonledger.registry.TseMarketClass;

/**
 * DomainRows turns projection rows into the registry's domain values (CORSIA eligibility and the projector read them).
 * Each method reads the columns of one table by name, so a query may select more.
 */
final class DomainRows {

  static final String ISSUANCE_COLUMNS = """
      i.issuance_id, i.project_id, i.account_id AS issuance_account_id, i.monitoring_start, i.monitoring_end, i.vintage,
      i.quantity, i.serial_start AS issuance_serial_start, i.serial_end AS issuance_serial_end, i.unit_type, i.labels,
      i.authorisation_id, i.corresponding_adjustment, i.first_transfer""";

  private DomainRows() {}

  static Project project(Row row, List<OtherRegistration> otherRegistrations) {
    String tse = row.getString("tse_market_class");
    return new Project(row.getString("project_id"), row.getString("program"), row.getString("program_project_id"),
        row.getString("name"), row.getString("host_country"), row.getString("methodology"),
        ProjectCategory.valueOf(row.getString("category")), MitigationType.valueOf(row.getString("mitigation_type")),
        new Period(row.getLocalDate("crediting_start"), row.getLocalDate("crediting_end")), row.getLocalDate("activity_start"),
        tse == null ? null : TseMarketClass.valueOf(tse), otherRegistrations);
  }

  static OtherRegistration otherRegistration(Row row) {
    return new OtherRegistration(row.getString("program"), row.getString("external_id"),
        new Period(row.getLocalDate("period_start"), row.getLocalDate("period_end")), row.getBoolean("cancelled"));
  }

  static Authorisation authorisation(Row row) {
    String[] projectIds = row.getArrayOfStrings("project_ids");
    return new Authorisation(row.getString("authorisation_id"), row.getString("host_country"), row.getString("loa_reference"),
        row.getLocalDate("loa_date"), AuthorisationPurpose.valueOf(row.getString("purpose")),
        FirstTransferDefinition.valueOf(row.getString("first_transfer_definition")), row.getLong("authorised_quantity"),
        row.getInteger("vintage_from"), row.getInteger("vintage_to"), row.getBoolean("corresponding_adjustment_attested"),
        projectIds == null ? List.of() : List.of(projectIds));
  }

  /** An issuance from a row selected with {@link #ISSUANCE_COLUMNS}. */
  static Issuance issuance(Row row) {
    return new Issuance(row.getString("issuance_id"), row.getString("project_id"), row.getString("issuance_account_id"),
        new Period(row.getLocalDate("monitoring_start"), row.getLocalDate("monitoring_end")), row.getInteger("vintage"),
        row.getLong("quantity"), row.getLong("issuance_serial_start"), row.getLong("issuance_serial_end"),
        row.getString("unit_type"), Arrays.asList(row.getArrayOfStrings("labels")), row.getString("authorisation_id"),
        CorrespondingAdjustmentStatus.valueOf(row.getString("corresponding_adjustment")),
        FirstTransferState.valueOf(row.getString("first_transfer")));
  }

  static Block block(Row row) {
    return new Block(row.getLong("serial_start"), row.getLong("serial_end"), row.getString("issuance_id"),
        row.getString("account_id"), BlockState.valueOf(row.getString("state")));
  }
}
