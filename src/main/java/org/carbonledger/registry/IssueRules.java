package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import static org.carbonledger.registry.RejectCode.*;
import static org.carbonledger.registry.Rules.reject;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** IssueRules decides issuance: the double-issuance and Article 6 rules (Precedence lists the order). */
final class IssueRules {

  private IssueRules() {}

  static Decision issue(Issue c, IssueSnapshot s) {
    if (!Ids.isValid(Ids.Kind.PROJECT, c.projectId())) {
      return reject(ID_MALFORMED, "projectId is not a well-formed project id");
    }
    if (c.authorisationId() != null && !Ids.isValid(Ids.Kind.AUTHORISATION, c.authorisationId())) {
      return reject(ID_MALFORMED, "authorisationId is not a well-formed authorisation id");
    }
    List<String> labels = c.labels() == null ? List.of() : c.labels();
    String invalid = invalidField(c, labels);
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    Period period = c.monitoringPeriod();
    if (!period.isOrdered()) {
      return reject(PERIOD_INVALID, "monitoringPeriod ends before it starts");
    }
    // The period's last day is part of it (days are inclusive): it has ended only once that day is over.
    if (!period.end().isBefore(s.today())) {
      return reject(MONITORING_PERIOD_NOT_ENDED, "monitoringPeriod ends " + period.end() + ", not before today (" + s.today()
          + "): units are issued for reductions that have happened");
    }
    if (c.quantity() < 1) {
      return reject(QUANTITY_MUST_BE_POSITIVE, "quantity must be at least 1");
    }
    if (c.quantity() > Limits.QUANTITY_MAX) {
      return reject(QUANTITY_ABOVE_LIMIT, "quantity is above " + Limits.QUANTITY_MAX);
    }
    // Subtracting keeps the bound exact: serialStart + quantity could overflow for a hostile serialStart.
    long serialStartMax = Limits.SERIAL_MAX - c.quantity() + 1;
    if (c.serialStart() != null && (c.serialStart() < 1 || c.serialStart() > serialStartMax)) {
      return reject(SERIAL_RANGE_INVALID, "serialStart must be in 1.." + serialStartMax + " for this quantity");
    }
    Project project = s.project();
    Check.state(project == null || project.projectId().equals(c.projectId()), "snapshot project mismatch");
    if (project == null) {
      return reject(PROJECT_NOT_FOUND, "no project " + c.projectId());
    }
    Account account = s.issuanceAccount();
    Check.state(account == null || account.type() == AccountType.ISSUANCE
        && account.program().equals(project.program()), "snapshot issuance account mismatch");
    if (account == null) {
      return reject(ISSUANCE_ACCOUNT_MISSING, "program " + project.program() + " has no issuance account");
    }
    if (account.status() != AccountStatus.ACTIVE) {
      return reject(ACCOUNT_NOT_ACTIVE, "issuance account " + account.accountId() + " is " + account.status());
    }
    if (!project.creditingPeriod().contains(period)) {
      return reject(MONITORING_PERIOD_OUTSIDE_CREDITING_PERIOD, "monitoringPeriod is outside the crediting period");
    }
    if (c.vintage() < period.start().getYear() || c.vintage() > period.end().getYear()) {
      return reject(VINTAGE_OUTSIDE_MONITORING_PERIOD, "vintage " + c.vintage() + " is outside the monitoring period");
    }
    for (Issuance earlier : s.overlappingIssuances()) {
      Check.state(earlier.projectId().equals(project.projectId()), "snapshot issuance of another project");
      if (earlier.monitoringPeriod().overlaps(period)) {
        return reject(MONITORING_PERIOD_ALREADY_ISSUED, "issuance " + earlier.issuanceId()
            + " covers an overlapping monitoring period");
      }
    }
    Optional<OtherRegistration> registered = project.registeredElsewhereFor(period);
    if (registered.isPresent()) {
      return reject(ACTIVITY_ISSUED_IN_OTHER_PROGRAM, "the activity is registered in " + registered.get().program()
          + " as " + registered.get().projectId() + " for an overlapping period");
    }
    // A registration elsewhere recorded cancelled does not undo units already issued for it in this registry.
    if (!s.issuedAsSameActivity().isEmpty()) {
      Issuance elsewhere = s.issuedAsSameActivity().get(0);
      return reject(ACTIVITY_ISSUED_IN_OTHER_PROGRAM, "the activity was issued for an overlapping period as "
          + elsewhere.issuanceId() + " of project " + elsewhere.projectId() + ", registered here under another program");
    }
    Decision.Rejected unauthorised = authorisationProblem(c, s, project);
    if (unauthorised != null) {
      return unauthorised;
    }
    for (Issuance taken : s.serialOverlaps()) {
      Check.state(c.serialStart() != null, "snapshot serial overlaps without serialStart");
      if (taken.serials().overlaps(new SerialRange(c.serialStart(), c.serialStart() + c.quantity() - 1))) {
        return reject(SERIAL_RANGE_OVERLAPS, "serials overlap issuance " + taken.issuanceId());
      }
    }
    if (c.serialStart() == null && s.nextFreeSerial() > serialStartMax) {
      return reject(SERIAL_NUMBERS_EXHAUSTED, "no " + c.quantity() + " free serials below 2^53");
    }
    return accepted(c, s, account, new TreeSet<>(labels).stream().toList());
  }

  private static String invalidField(Issue c, List<String> labels) {
    FirstProblem invalid = new FirstProblem()
        .missing("monitoringPeriod", c.monitoringPeriod())
        .period("monitoringPeriod", c.monitoringPeriod())
        .year("vintage", c.vintage())
        .when(!Tokens.isUnitType(c.unitType()), "unitType is missing or not [A-Z]{2,8}")
        .when(labels.size() > Limits.LABELS_MAX, "more than " + Limits.LABELS_MAX + " labels");
    for (String label : labels) {
      invalid.when(!Tokens.isLabel(label), "label " + label + " is not [A-Z][A-Z0-9_]* of at most "
          + Limits.LABEL_LENGTH_MAX + " characters");
    }
    return invalid.when(new TreeSet<>(labels.stream().filter(l -> l != null).toList()).size() != labels.size(),
        "labels repeat a label").first();
  }

  private static Decision.Rejected authorisationProblem(Issue c, IssueSnapshot s, Project project) {
    Authorisation authorisation = s.authorisation();
    Check.state(authorisation == null || authorisation.authorisationId().equals(c.authorisationId()),
        "snapshot authorisation mismatch");
    if (c.authorisationId() == null) {
      return null;
    }
    if (authorisation == null) {
      return reject(AUTHORISATION_NOT_FOUND, "no authorisation " + c.authorisationId());
    }
    if (!authorisation.hostCountry().equals(project.hostCountry())) {
      return reject(AUTHORISATION_HOST_COUNTRY_MISMATCH, "authorisation " + authorisation.authorisationId()
          + " is from " + authorisation.hostCountry() + ", the project is in " + project.hostCountry());
    }
    if (!authorisation.coversProject(project.projectId())) {
      return reject(AUTHORISATION_PROJECT_NOT_COVERED, "authorisation " + authorisation.authorisationId() + " names "
          + authorisation.projectIds() + ", not " + project.projectId());
    }
    if (!authorisation.coversReductionsOver(c.monitoringPeriod())) {
      return reject(VINTAGE_NOT_AUTHORISED, "monitoringPeriod " + c.monitoringPeriod().start().getYear() + ".."
          + c.monitoringPeriod().end().getYear() + " is not inside the authorised vintages " + authorisation.vintageFrom()
          + ".." + authorisation.vintageTo());
    }
    // Cannot overflow: both terms are at most QUANTITY_MAX times the number of issuances, far below 2^63.
    if (s.authorisedIssuedQuantity() + c.quantity() > authorisation.authorisedQuantity()) {
      return reject(ISSUANCE_EXCEEDS_AUTHORISED_QUANTITY, "authorisation " + authorisation.authorisationId()
          + " has " + (authorisation.authorisedQuantity() - s.authorisedIssuedQuantity()) + " units left");
    }
    return null;
  }

  private static Decision accepted(Issue c, IssueSnapshot s, Account account, List<String> labels) {
    long start = c.serialStart() != null ? c.serialStart() : s.nextFreeSerial();
    Authorisation authorisation = s.authorisation();
    CorrespondingAdjustmentStatus adjustment = authorisation == null ? CorrespondingAdjustmentStatus.NOT_REQUIRED
        : CorrespondingAdjustmentStatus.PENDING;
    return new Decision.Accepted(EntryTypes.UNITS_ISSUED, new EntryData()
        .put("accountId", account.accountId())
        .putOptional("authorisationId", c.authorisationId())
        .put("correspondingAdjustment", adjustment.name())
        .put("firstTransfer", firstTransferAtIssuance(authorisation).name())
        .put("issuanceId", Ids.format(Ids.Kind.ISSUANCE, s.nextIssuanceNumber()))
        .put("labels", labels)
        .put("monitoringPeriod", EntryData.period(c.monitoringPeriod()))
        .put("projectId", c.projectId())
        .put("quantity", c.quantity())
        .put("serialEnd", start + c.quantity() - 1)
        .put("serialStart", start)
        .put("unitType", c.unitType())
        .put("vintage", (long) c.vintage())
        .build());
  }

  /** The first-transfer state of new units: REGISTRY.md, "Issuance". */
  static FirstTransferState firstTransferAtIssuance(Authorisation authorisation) {
    if (authorisation == null) {
      return FirstTransferState.NOT_APPLICABLE;
    }
    return authorisation.firstTransferDefinition() == FirstTransferDefinition.USE_OR_CANCELLATION
        ? FirstTransferState.PENDING : FirstTransferState.DONE;
  }
}
