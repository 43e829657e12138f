package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.List;

/**
 * IssueSnapshot is the state the issuance rules need. It holds:
 * <ul>
 *   <li>{@code project}: the project whose id equals the command's {@code projectId}, or null.</li>
 *   <li>{@code issuanceAccount}: the ISSUANCE account of that project's program (any status), or null.</li>
 *   <li>{@code overlappingIssuances}: at least one of the project's issuances whose monitoring period overlaps
 *   the command's if there is any, none if there is none (empty too if either is missing or the command's period
 *   is reversed). Loading more of the project's issuances is harmless: the rules compare periods themselves.</li>
 *   <li>{@code issuedAsSameActivity}: the issuances overlapping the command's period of the projects registered
 *   here under another program that are the same activity (the project names them among its other
 *   registrations, or they name it); empty if the project or period is missing or reversed.</li>
 *   <li>{@code authorisation}: the authorisation whose id equals the command's {@code authorisationId}, or
 *   null; and {@code authorisedIssuedQuantity}: the sum of {@code quantity} over the issuances under it (0 if
 *   none).</li>
 *   <li>{@code serialOverlaps}: when {@code serialStart} is set and {@code serialStart..serialStart+quantity-1}
 *   is a well-formed range, the issuances whose {@code serialStart..serialEnd} overlaps it (the store MAY stop
 *   after the first); otherwise empty.</li>
 *   <li>{@code nextIssuanceNumber}: the number of issuances plus one; {@code nextFreeSerial}: one more than the
 *   highest {@code serialEnd} of any issuance, or 1 if there is none.</li>
 *   <li>{@code today}: the day (UTC) the command is decided, the date of its entry's time.</li>
 * </ul>
 */
public record IssueSnapshot(Project project, Account issuanceAccount, List<Issuance> overlappingIssuances,
    List<Issuance> issuedAsSameActivity, Authorisation authorisation, long authorisedIssuedQuantity,
    List<Issuance> serialOverlaps, long nextIssuanceNumber, long nextFreeSerial, LocalDate today) {

  public IssueSnapshot {
    overlappingIssuances = List.copyOf(overlappingIssuances);
    issuedAsSameActivity = List.copyOf(issuedAsSameActivity);
    serialOverlaps = List.copyOf(serialOverlaps);
  }
}
