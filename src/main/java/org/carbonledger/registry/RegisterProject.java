package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.List;

/**
 * RegisterProject registers a program's project; {@code otherRegistrations} (null means none) declares the same
 * activity in other programs, which later issuances are checked against.
 */
public record RegisterProject(String program, String programProjectId, String name, String hostCountry,
    String methodology, ProjectCategory category, MitigationType mitigationType, Period creditingPeriod,
    LocalDate activityStart, TseMarketClass tseMarketClass, List<OtherRegistration> otherRegistrations)
    implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.REGISTER_PROJECT;
  }
}
