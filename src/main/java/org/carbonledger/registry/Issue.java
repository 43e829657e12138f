package org.carbonledger.registry;

import java.util.List;

/**
 * Issue creates units for a project's verified monitoring period into its program's issuance account.
 * {@code labels} null means none; {@code authorisationId} null means unauthorised units; {@code serialStart}
 * null lets the registry allocate the next free serials, otherwise the client names the first serial (e.g. to
 * keep a program's own numbering).
 */
public record Issue(String projectId, Period monitoringPeriod, int vintage, long quantity, String unitType,
    List<String> labels, String authorisationId, Long serialStart) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.ISSUE;
  }
}
