package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.List;

/**
 * Project is a mitigation activity registered under one program. {@code programProjectId} is unique per
 * program; {@code tseMarketClass} is set only for J-Credit projects.
 */
public record Project(String projectId, String program, String programProjectId, String name, String hostCountry,
    String methodology, ProjectCategory category, MitigationType mitigationType, Period creditingPeriod,
    LocalDate activityStart, TseMarketClass tseMarketClass, List<OtherRegistration> otherRegistrations) {

  public Project {
    otherRegistrations = List.copyOf(otherRegistrations);
  }
}
