package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

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

  /**
   * The registration of this activity in another program, not recorded cancelled, whose period overlaps
   * {@code period}: units issued here for it could be issued there too.
   */
  public Optional<OtherRegistration> registeredElsewhereFor(Period period) {
    return otherRegistrations.stream().filter(other -> !other.cancelled() && other.period().overlaps(period)).findFirst();
  }
}
