package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import java.util.List;
import java.util.TreeSet;

/**
 * IssuanceCheck verifies that a UNITS_ISSUED entry fits the state before it is applied: the id is next, the
 * issuance account is the program's and active, the serials are free (no double issuance), the monitoring period
 * is inside the crediting period and overlaps no other issuance of the project nor a period the project is still
 * registered for in another program, and the Article 6 fields follow from the authorisation.
 */
final class IssuanceCheck {

  private IssuanceCheck() {}

  static void check(RegistryState state, Issuance i) {
    Check.state(i.issuanceId().equals(Ids.format(Ids.Kind.ISSUANCE, state.issuances.size() + 1L)),
        "issuanceId " + i.issuanceId() + " is not the next issuance id");
    Project project = state.projects.get(i.projectId());
    Check.state(project != null, "no project " + i.projectId());
    Check.state(i.accountId().equals(state.issuanceAccountByProgram.get(project.program())),
        "accountId is not the issuance account of " + project.program());
    Check.state(state.accounts.get(i.accountId()).status() == AccountStatus.ACTIVE, "issuance account not active");
    Check.state(i.quantity() >= 1 && i.quantity() <= Limits.QUANTITY_MAX, "quantity out of range");
    Check.state(i.serialStart() >= 1 && i.serialEnd() <= Limits.SERIAL_MAX
        && i.serialEnd() - i.serialStart() + 1 == i.quantity(), "serials do not match quantity");
    Check.state(state.blocks.isFree(i.serials()), "serials already issued");
    Check.state(Tokens.isUnitType(i.unitType()), "unitType malformed");
    Check.state(i.labels().equals(List.copyOf(new TreeSet<>(i.labels())))
        && i.labels().stream().allMatch(Tokens::isLabel), "labels not sorted, distinct tokens");
    Check.state(project.creditingPeriod().contains(i.monitoringPeriod()), "monitoring period outside crediting");
    Check.state(i.vintage() >= i.monitoringPeriod().start().getYear()
        && i.vintage() <= i.monitoringPeriod().end().getYear(), "vintage outside monitoring period");
    Check.state(project.registeredElsewhereFor(i.monitoringPeriod()).isEmpty(),
        "monitoring period registered in another program for the activity");
    // Not checked here: an issuance of the same activity under another program of this registry. That rule came
    // after logs that may hold such pairs were written, and they must still replay; the rules refuse new ones.
    Issuance earlier = state.issuanceOverlapping(project.projectId(), i.monitoringPeriod());
    Check.state(earlier == null,
        "monitoring period already issued in " + (earlier == null ? "" : earlier.issuanceId()));
    Authorisation authorisation = i.authorisationId() == null ? null : state.authorisations.get(i.authorisationId());
    Check.state(i.authorisationId() == null || authorisation != null, "no authorisation " + i.authorisationId());
    if (authorisation != null) {
      Check.state(authorisation.hostCountry().equals(project.hostCountry()), "authorised by another country");
      Check.state(authorisation.coversProject(project.projectId()), "the letter names other projects");
      Check.state(authorisation.coversVintage(i.vintage()), "vintage not authorised");
      long issued = state.issuedByAuthorisation.getOrDefault(authorisation.authorisationId(), 0L);
      Check.state(issued + i.quantity() <= authorisation.authorisedQuantity(), "authorised quantity exceeded");
    }
    Check.state(i.correspondingAdjustment() == (authorisation == null ? CorrespondingAdjustmentStatus.NOT_REQUIRED
        : CorrespondingAdjustmentStatus.PENDING), "correspondingAdjustment does not follow the authorisation");
    Check.state(i.firstTransfer() == IssueRules.firstTransferAtIssuance(authorisation),
        "firstTransfer does not follow the authorisation");
  }
}
