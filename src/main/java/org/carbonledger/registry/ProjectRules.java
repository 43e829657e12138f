package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import static org.carbonledger.registry.RejectCode.*;
import static org.carbonledger.registry.Rules.reject;

import java.util.ArrayList;
import java.util.List;

/** ProjectRules decides project registration (Precedence lists the order). */
final class ProjectRules {

  private ProjectRules() {}

  static Decision register(RegisterProject c, RegisterProjectSnapshot s) {
    List<OtherRegistration> others = c.otherRegistrations() == null ? List.of() : c.otherRegistrations();
    String invalid = invalidField(c, others);
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    FirstProblem tooLong = new FirstProblem()
        .tooLong("programProjectId", c.programProjectId(), Limits.REFERENCE_LENGTH_MAX)
        .tooLong("name", c.name(), Limits.NAME_LENGTH_MAX)
        .tooLong("methodology", c.methodology(), Limits.NAME_LENGTH_MAX);
    for (int i = 0; i < others.size(); i++) {
      tooLong.tooLong("otherRegistrations[" + i + "].projectId", others.get(i).projectId(),
          Limits.REFERENCE_LENGTH_MAX);
    }
    if (tooLong.first() != null) {
      return reject(TEXT_TOO_LONG, tooLong.first());
    }
    if (!Countries.isAssigned(c.hostCountry())) {
      return reject(COUNTRY_UNKNOWN, "hostCountry is not an ISO 3166-1 alpha-2 country");
    }
    FirstProblem periods = new FirstProblem()
        .when(!c.creditingPeriod().isOrdered(), "creditingPeriod ends before it starts");
    for (int i = 0; i < others.size(); i++) {
      periods.when(!others.get(i).period().isOrdered(), "otherRegistrations[" + i + "].period ends before it starts");
    }
    if (periods.first() != null) {
      return reject(PERIOD_INVALID, periods.first());
    }
    Project existing = s.existing();
    Check.state(existing == null || existing.program().equals(c.program())
        && existing.programProjectId().equals(c.programProjectId()), "snapshot project mismatch");
    if (existing != null) {
      return reject(PROJECT_ALREADY_REGISTERED, c.program() + " project " + c.programProjectId()
          + " is registered as " + existing.projectId());
    }
    return new Decision.Accepted(EntryTypes.PROJECT_REGISTERED, new EntryData()
        .put("activityStart", EntryData.date(c.activityStart()))
        .put("category", c.category().name())
        .put("creditingPeriod", EntryData.period(c.creditingPeriod()))
        .put("hostCountry", c.hostCountry())
        .put("methodology", c.methodology())
        .put("mitigationType", c.mitigationType().name())
        .put("name", c.name())
        .put("otherRegistrations", otherRegistrations(others))
        .put("program", c.program())
        .put("programProjectId", c.programProjectId())
        .put("projectId", Ids.format(Ids.Kind.PROJECT, s.nextProjectNumber()))
        .putOptional("tseMarketClass", c.tseMarketClass() == null ? null : c.tseMarketClass().name())
        .build());
  }

  private static String invalidField(RegisterProject c, List<OtherRegistration> others) {
    FirstProblem invalid = new FirstProblem()
        .when(!Tokens.isProgram(c.program()), "program is missing or not a program code")
        .missing("programProjectId", c.programProjectId())
        .text("programProjectId", c.programProjectId(), false)
        .missing("name", c.name())
        .text("name", c.name(), false)
        .missing("hostCountry", c.hostCountry())
        .missing("methodology", c.methodology())
        .text("methodology", c.methodology(), false)
        .missing("category", c.category())
        .missing("mitigationType", c.mitigationType())
        .missing("creditingPeriod", c.creditingPeriod())
        .period("creditingPeriod", c.creditingPeriod())
        .missing("activityStart", c.activityStart())
        .date("activityStart", c.activityStart())
        .when(c.tseMarketClass() != null && !Tokens.PROGRAM_JCREDIT.equals(c.program()),
            "tseMarketClass is only for " + Tokens.PROGRAM_JCREDIT + " projects")
        .when(others.size() > Limits.OTHER_REGISTRATIONS_MAX,
            "more than " + Limits.OTHER_REGISTRATIONS_MAX + " otherRegistrations");
    for (int i = 0; i < others.size() && invalid.first() == null; i++) {
      String field = "otherRegistrations[" + i + "]";
      OtherRegistration other = others.get(i);
      invalid.missing(field, other);
      if (other != null) {
        invalid.when(!Tokens.isProgram(other.program()), field + ".program is missing or not a program code")
            .when(c.program() != null && c.program().equals(other.program()),
                field + ".program is the project's own program")
            .missing(field + ".projectId", other.projectId())
            .text(field + ".projectId", other.projectId(), false)
            .missing(field + ".period", other.period())
            .period(field + ".period", other.period());
      }
    }
    return invalid.first();
  }

  private static List<Object> otherRegistrations(List<OtherRegistration> others) {
    List<Object> out = new ArrayList<>();
    for (OtherRegistration other : others) {
      out.add(new EntryData()
          .put("cancelled", other.cancelled())
          .put("period", EntryData.period(other.period()))
          .put("program", other.program())
          .put("projectId", other.projectId())
          .build());
    }
    return List.copyOf(out);
  }
}
