package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import static org.carbonledger.registry.RejectCode.*;
import static org.carbonledger.registry.Rules.reject;

import java.util.List;
import java.util.TreeSet;

/**
 * AuthorisationRules decides recording Article 6 letters of authorisation and applying corresponding
 * adjustments (Precedence lists the order).
 */
final class AuthorisationRules {

  private AuthorisationRules() {}

  static Decision record(RecordAuthorisation c, RecordAuthorisationSnapshot s) {
    List<String> projectIds = c.projectIds() == null ? List.of() : c.projectIds();
    for (String projectId : projectIds) {
      if (!Ids.isValid(Ids.Kind.PROJECT, projectId)) {
        return reject(ID_MALFORMED, "projectIds has " + projectId + ", not a well-formed project id");
      }
    }
    String invalid = new FirstProblem()
        .when(c.projectIds() != null && projectIds.isEmpty(), "projectIds is empty: leave it out for a letter of any project")
        .when(new TreeSet<>(projectIds).size() != projectIds.size(), "projectIds names a project twice")
        .when(projectIds.size() > Limits.AUTHORISATION_PROJECTS_MAX, "projectIds names more than "
            + Limits.AUTHORISATION_PROJECTS_MAX + " projects")
        .missing("hostCountry", c.hostCountry())
        .missing("loaReference", c.loaReference())
        .text("loaReference", c.loaReference(), false)
        .missing("loaDate", c.loaDate())
        .date("loaDate", c.loaDate())
        .missing("purpose", c.purpose())
        .missing("firstTransferDefinition", c.firstTransferDefinition())
        .year("vintageFrom", c.vintageFrom())
        .year("vintageTo", c.vintageTo())
        .first();
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    if (c.loaReference().length() > Limits.REFERENCE_LENGTH_MAX) {
      return reject(TEXT_TOO_LONG, "loaReference is longer than " + Limits.REFERENCE_LENGTH_MAX);
    }
    if (!Countries.isAssigned(c.hostCountry())) {
      return reject(COUNTRY_UNKNOWN, "hostCountry is not an ISO 3166-1 alpha-2 country");
    }
    if (c.authorisedQuantity() < 1) {
      return reject(QUANTITY_MUST_BE_POSITIVE, "authorisedQuantity must be at least 1");
    }
    if (c.authorisedQuantity() > Limits.QUANTITY_MAX) {
      return reject(QUANTITY_ABOVE_LIMIT, "authorisedQuantity is above " + Limits.QUANTITY_MAX);
    }
    if (c.vintageFrom() > c.vintageTo()) {
      return reject(PERIOD_INVALID, "vintageFrom is after vintageTo");
    }
    for (String projectId : projectIds) {
      if (!s.projects().containsKey(projectId)) {
        return reject(PROJECT_NOT_FOUND, "projectIds has " + projectId + ", which names no project");
      }
    }
    for (String projectId : projectIds) {
      Project project = s.projects().get(projectId);
      if (!project.hostCountry().equals(c.hostCountry())) {
        return reject(AUTHORISATION_HOST_COUNTRY_MISMATCH, "project " + projectId + " is in " + project.hostCountry()
            + ", the letter is from " + c.hostCountry());
      }
    }
    Authorisation existing = s.existing();
    Check.state(existing == null || existing.loaReference().equals(c.loaReference()),
        "snapshot authorisation mismatch");
    if (existing != null) {
      return reject(AUTHORISATION_ALREADY_RECORDED, "letter " + c.loaReference() + " is recorded as "
          + existing.authorisationId());
    }
    return new Decision.Accepted(EntryTypes.AUTHORISATION_RECORDED, new EntryData()
        .put("authorisationId", Ids.format(Ids.Kind.AUTHORISATION, s.nextAuthorisationNumber()))
        .put("authorisedQuantity", c.authorisedQuantity())
        // Written only when set, so that letters recorded before the attestation existed read the same.
        .putOptional("correspondingAdjustmentAttested", c.correspondingAdjustmentAttested() ? Boolean.TRUE : null)
        .put("firstTransferDefinition", c.firstTransferDefinition().name())
        .put("hostCountry", c.hostCountry())
        .put("loaDate", EntryData.date(c.loaDate()))
        .put("loaReference", c.loaReference())
        // Written only when the letter names its projects, so that letters recorded before read the same.
        .putOptional("projectIds", projectIds.isEmpty() ? null : new TreeSet<>(projectIds).stream().toList())
        .put("purpose", c.purpose().name())
        .put("vintageFrom", (long) c.vintageFrom())
        .put("vintageTo", (long) c.vintageTo())
        .build());
  }

  static Decision applyAdjustment(ApplyCorrespondingAdjustment c, ApplyCorrespondingAdjustmentSnapshot s) {
    if (!Ids.isValid(Ids.Kind.ISSUANCE, c.issuanceId())) {
      return reject(ID_MALFORMED, "issuanceId is not a well-formed issuance id");
    }
    String invalid = new FirstProblem()
        .missing("hostCountry", c.hostCountry())
        .missing("reportReference", c.reportReference())
        .text("reportReference", c.reportReference(), false)
        .first();
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    if (c.reportReference().length() > Limits.REFERENCE_LENGTH_MAX) {
      return reject(TEXT_TOO_LONG, "reportReference is longer than " + Limits.REFERENCE_LENGTH_MAX);
    }
    if (!Countries.isAssigned(c.hostCountry())) {
      return reject(COUNTRY_UNKNOWN, "hostCountry is not an ISO 3166-1 alpha-2 country");
    }
    Issuance issuance = s.issuance();
    Check.state(issuance == null || issuance.issuanceId().equals(c.issuanceId()), "snapshot issuance mismatch");
    if (issuance == null) {
      return reject(ISSUANCE_NOT_FOUND, "no issuance " + c.issuanceId());
    }
    Authorisation authorisation = s.authorisation();
    Check.state(issuance.authorisationId() == null ? authorisation == null
        : authorisation != null && authorisation.authorisationId().equals(issuance.authorisationId()),
        "snapshot authorisation mismatch");
    if (authorisation == null) {
      return reject(ISSUANCE_NOT_AUTHORISED, "issuance " + issuance.issuanceId() + " has no authorisation");
    }
    if (!authorisation.hostCountry().equals(c.hostCountry())) {
      return reject(AUTHORISATION_HOST_COUNTRY_MISMATCH, "issuance " + issuance.issuanceId()
          + " is authorised by " + authorisation.hostCountry());
    }
    if (issuance.correspondingAdjustment() == CorrespondingAdjustmentStatus.APPLIED) {
      return reject(CORRESPONDING_ADJUSTMENT_ALREADY_APPLIED, "issuance " + issuance.issuanceId()
          + " is already adjusted");
    }
    return new Decision.Accepted(EntryTypes.CORRESPONDING_ADJUSTMENT_APPLIED, new EntryData()
        .put("hostCountry", c.hostCountry())
        .put("issuanceId", issuance.issuanceId())
        .put("reportReference", c.reportReference())
        .build());
  }
}
