package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import static org.carbonledger.registry.RejectCode.*;
import static org.carbonledger.registry.Rules.reject;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * RetirementRules decides retirements: the movement steps, then the claim rules: those that stop double
 * claiming (CORSIA eligibility, Article 6 authorisation and corresponding adjustment) and the quality criteria
 * of VCMI and GX-ETS claims. Precedence lists the order.
 */
final class RetirementRules {

  /** The claim codes in precedence order; the first any block earns is reported. */
  private static final List<RejectCode> CLAIM_CODES = List.of(CORSIA_INELIGIBLE, UNITS_NOT_AUTHORISED_FOR_PURPOSE,
      CORRESPONDING_ADJUSTMENT_NOT_APPLIED, UNITS_COMMITTED_TO_INTERNATIONAL_USE, UNITS_INELIGIBLE_FOR_CLAIM);
  /** Programs whose credits GX-ETS counts whatever their methodology: J-Credit and the Joint Crediting Mechanism. */
  private static final Set<String> GX_ETS_PROGRAMS = Set.of("JCREDIT", "JCM");
  /** The methodologies for which GX-ETS also counts credits of other programs. */
  private static final Set<ProjectCategory> GX_ETS_CATEGORIES = EnumSet.of(ProjectCategory.CCU,
      ProjectCategory.BLUE_CARBON, ProjectCategory.BECCS, ProjectCategory.DACCS);

  private RetirementRules() {}

  static Decision retire(Retire c, RetireSnapshot s) {
    if (!Ids.isValid(Ids.Kind.ACCOUNT, c.accountId())) {
      return reject(ID_MALFORMED, "accountId is not a well-formed account id");
    }
    if (Selections.malformedId(c.selection()) != null) {
      return reject(ID_MALFORMED, Selections.malformedId(c.selection()));
    }
    String missing = missingDetails(c);
    if (missing != null) {
      return reject(RETIREMENT_DETAILS_MISSING, missing);
    }
    String invalid = invalidField(c);
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    String tooLong = new FirstProblem()
        .tooLong("beneficiaryName", c.beneficiaryName(), Limits.NAME_LENGTH_MAX)
        .tooLong("beneficiaryId", c.beneficiaryId(), Limits.REFERENCE_LENGTH_MAX)
        .tooLong("corsia.operator", c.corsia() == null ? null : c.corsia().operator(), Limits.NAME_LENGTH_MAX)
        .tooLong("note", c.note(), Limits.TEXT_LENGTH_MAX)
        .first();
    if (tooLong != null) {
      return reject(TEXT_TOO_LONG, tooLong);
    }
    String country = new FirstProblem()
        .country("corsia.operatorState", c.corsia() == null ? null : c.corsia().operatorState())
        .country("ndcCountry", c.ndcCountry())
        .first();
    if (country != null) {
      return reject(COUNTRY_UNKNOWN, country);
    }
    if (c.claimPeriod() != null && !c.claimPeriod().isOrdered()) {
      return reject(PERIOD_INVALID, "claimPeriod ends before it starts");
    }
    String outsideCompliancePeriod = outsideCompliancePeriod(c);
    if (outsideCompliancePeriod != null) {
      return reject(CLAIM_OUTSIDE_COMPLIANCE_PERIOD, outsideCompliancePeriod);
    }
    Decision.Rejected badSelection = MovementRules.selectionInput(c.selection());
    if (badSelection != null) {
      return badSelection;
    }
    Decision.Rejected badAccount = MovementRules.usableAccount(c.accountId(), s.account());
    if (badAccount != null) {
      return badAccount;
    }
    UnitPicker.Picked picked = UnitPicker.pick(c.selection(), c.accountId(), s.candidates());
    if (picked.rejection() != null) {
      return picked.rejection();
    }
    Decision.Rejected claim = claimProblem(c, s, picked.sources());
    if (claim != null) {
      return claim;
    }
    return accepted(c, picked);
  }

  /** A CORSIA claim is made against one compliance period: its reporting year and claim period lie in its years. */
  private static String outsideCompliancePeriod(Retire c) {
    if (c.purpose() != RetirementPurpose.CORSIA) {
      return null;
    }
    CompliancePeriod period = c.corsia().compliancePeriod();
    String years = period.name() + " is " + period.yearFirst() + ".." + period.yearLast();
    if (c.reportingYear() != null && (c.reportingYear() < period.yearFirst() || c.reportingYear() > period.yearLast())) {
      return "reportingYear " + c.reportingYear() + " is outside the compliance period: " + years;
    }
    if (c.claimPeriod() != null && (c.claimPeriod().start().getYear() < period.yearFirst()
        || c.claimPeriod().end().getYear() > period.yearLast())) {
      return "claimPeriod " + c.claimPeriod().start() + ".." + c.claimPeriod().end() + " is outside the compliance period: "
          + years;
    }
    return null;
  }

  private static String missingDetails(Retire c) {
    FirstProblem missing = new FirstProblem()
        .missing("purpose", c.purpose())
        .missing("beneficiaryName", c.beneficiaryName())
        .when(c.claimPeriod() == null && c.reportingYear() == null, "claimPeriod or reportingYear is missing");
    if (c.purpose() == RetirementPurpose.CORSIA) {
      missing.missing("corsia", c.corsia());
      if (c.corsia() != null) {
        missing.missing("corsia.operator", c.corsia().operator())
            .missing("corsia.operatorState", c.corsia().operatorState())
            .missing("corsia.compliancePeriod", c.corsia().compliancePeriod());
      }
    }
    if (c.purpose() == RetirementPurpose.NDC) {
      missing.missing("ndcCountry", c.ndcCountry());
    }
    return missing.first();
  }

  private static String invalidField(Retire c) {
    return new FirstProblem()
        .when(Selections.invalidField(c.selection()) != null, Selections.invalidField(c.selection()))
        .text("beneficiaryName", c.beneficiaryName(), false)
        .text("beneficiaryId", c.beneficiaryId(), false)
        .text("corsia.operator", c.corsia() == null ? null : c.corsia().operator(), false)
        .text("note", c.note(), true)
        .period("claimPeriod", c.claimPeriod())
        .year("reportingYear", c.reportingYear())
        .when(c.corsia() != null && c.purpose() != RetirementPurpose.CORSIA,
            "corsia is only for a CORSIA retirement")
        .when(c.ndcCountry() != null && c.purpose() != RetirementPurpose.NDC,
            "ndcCountry is only for an NDC retirement")
        .first();
  }

  /** True if the retirement's purpose has claim rules and names what they need (else the rules refuse it first). */
  static boolean checksClaims(Retire c) {
    return c.purpose() == RetirementPurpose.CORSIA && c.corsia() != null && c.corsia().compliancePeriod() != null
        || c.purpose() == RetirementPurpose.NDC && c.ndcCountry() != null
        || c.purpose() == RetirementPurpose.VCMI_CLAIM || c.purpose() == RetirementPurpose.GX_ETS;
  }

  /** {@link #claimCodes} of {@code issuance} with its project and authorisation as {@code registry} holds them. */
  static List<RejectCode> claimCodes(Retire c, Issuance issuance, RegistryState registry) {
    return claimCodes(c, issuance, registry.projects.get(issuance.projectId()),
        issuance.authorisationId() == null ? null : registry.authorisations.get(issuance.authorisationId()));
  }

  static List<RejectCode> claimCodes(Retire c, Issuance issuance, Project project, Authorisation authorisation) {
    return switch (c.purpose()) {
      case CORSIA -> corsiaCodes(c.corsia().compliancePeriod(), issuance, project, authorisation);
      case NDC -> ndcCodes(c.ndcCountry(), issuance, project, authorisation);
      // VCMI's claims rest on CCP-quality credits, which the CCP label marks.
      case VCMI_CLAIM -> issuance.labels().contains("CCP") ? List.of() : List.of(UNITS_INELIGIBLE_FOR_CLAIM);
      case GX_ETS -> GX_ETS_PROGRAMS.contains(project.program()) || GX_ETS_CATEGORIES.contains(project.category())
          ? List.of() : List.of(UNITS_INELIGIBLE_FOR_CLAIM);
      case VOLUNTARY_OFFSET, OTHER -> List.of();
    };
  }

  /** The first claim code (in CLAIM_CODES order) any source block earns, or null. */
  private static Decision.Rejected claimProblem(Retire c, RetireSnapshot s, List<BlockView> sources) {
    if (!checksClaims(c)) {
      return null;
    }
    int worst = CLAIM_CODES.size();
    String message = null;
    for (BlockView source : sources) {
      Issuance issuance = source.issuance();
      Project project = s.projects().get(issuance.projectId());
      Check.state(project != null, "snapshot lacks project " + issuance.projectId());
      Authorisation authorisation = issuance.authorisationId() == null ? null
          : s.authorisations().get(issuance.authorisationId());
      Check.state(issuance.authorisationId() == null || authorisation != null,
          "snapshot lacks authorisation " + issuance.authorisationId());
      List<RejectCode> codes = claimCodes(c, issuance, project, authorisation);
      for (RejectCode code : codes) {
        if (CLAIM_CODES.indexOf(code) < worst) {
          worst = CLAIM_CODES.indexOf(code);
          message = "issuance " + issuance.issuanceId() + ": " + codes;
        }
      }
    }
    return message == null ? null : reject(CLAIM_CODES.get(worst), message);
  }

  private static List<RejectCode> corsiaCodes(CompliancePeriod period, Issuance issuance, Project project,
      Authorisation authorisation) {
    return CorsiaEligibility.check(period, issuance, project, authorisation).stream().map(CorsiaReason::code)
        .toList();
  }

  /**
   * Use towards another country's NDC needs an authorisation covering NDC and an applied corresponding
   * adjustment. Use towards the host's own NDC needs neither, but is refused once the units' Article 6 first
   * transfer has happened or their corresponding adjustment is applied: the host must then count them as used
   * abroad (or has), and counting them for its own NDC too would count the reduction twice.
   */
  private static List<RejectCode> ndcCodes(String ndcCountry, Issuance issuance, Project project,
      Authorisation authorisation) {
    if (ndcCountry.equals(project.hostCountry())) {
      boolean committedAbroad = issuance.firstTransfer() == FirstTransferState.DONE
          || issuance.correspondingAdjustment() == CorrespondingAdjustmentStatus.APPLIED;
      return committedAbroad ? List.of(UNITS_COMMITTED_TO_INTERNATIONAL_USE) : List.of();
    }
    if (authorisation == null || !authorisation.purpose().coversNdc()) {
      return List.of(UNITS_NOT_AUTHORISED_FOR_PURPOSE);
    }
    if (issuance.correspondingAdjustment() != CorrespondingAdjustmentStatus.APPLIED) {
      return List.of(CORRESPONDING_ADJUSTMENT_NOT_APPLIED);
    }
    return List.of();
  }

  private static Decision accepted(Retire c, UnitPicker.Picked picked) {
    Object corsia = c.corsia() == null ? null : new EntryData()
        .put("compliancePeriod", c.corsia().compliancePeriod().name())
        .put("operator", c.corsia().operator())
        .put("operatorState", c.corsia().operatorState())
        .build();
    return new Decision.Accepted(EntryTypes.UNITS_RETIRED, new EntryData()
        .put("accountId", c.accountId())
        .put("beneficiary", new EntryData()
            .putOptional("id", c.beneficiaryId())
            .put("name", c.beneficiaryName())
            .build())
        .put("blocks", EntryData.ranges(picked.ranges()))
        .putOptional("claimPeriod", c.claimPeriod() == null ? null : EntryData.period(c.claimPeriod()))
        .putOptional("corsia", corsia)
        .putOptional("ndcCountry", c.ndcCountry())
        .putOptional("note", c.note())
        .put("purpose", c.purpose().name())
        .put("quantity", picked.quantity())
        .putOptional("reportingYear", c.reportingYear() == null ? null : (long) c.reportingYear())
        .build());
  }
}
