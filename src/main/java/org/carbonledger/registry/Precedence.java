package org.carbonledger.registry;

import static org.carbonledger.registry.RejectCode.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Precedence lists, per command, the rules {@link Rules} checks, in the order it checks them: when several fail,
 * the first listed is reported. The lists are the documentation (docs/REJECT-CODES.md); RulesPrecedenceTest
 * walks each one with inputs that break every rule from a step down, so the code and this page cannot drift.
 */
public final class Precedence {

  /** Step is one rule: the code it reports and, in words, when. */
  public record Step(RejectCode code, String rule) {}

  private static final String SELECTION_FIELDS = "the selection is missing, names no range or more than "
      + Limits.SELECTION_RANGES_MAX + ", or filters on a vintage outside " + Limits.YEAR_MIN + ".."
      + Limits.YEAR_MAX;

  private static final List<Step> SELECTION_INPUT = List.of(
      new Step(QUANTITY_MUST_BE_POSITIVE, "the selection's quantity is below 1"),
      new Step(SERIAL_RANGE_INVALID, "a selected range is outside 1..2^53-1 or reversed, or two ranges overlap"),
      new Step(QUANTITY_ABOVE_LIMIT, "the selection's quantity, or the total of its ranges, is above 10^12"));

  private static final List<Step> SELECTION_STATE = List.of(
      new Step(SELECTION_SPANS_TOO_MANY_BLOCKS, "the units would come from more than "
          + Limits.BLOCKS_PER_ENTRY_MAX + " blocks (checked first because the store stops loading there)"),
      new Step(SERIAL_NOT_ISSUED, "a selected serial is in no block"),
      new Step(UNITS_NOT_HELD, "a selected block is held by another account, or by quantity the account's "
          + "matching active units are fewer than asked"),
      new Step(UNITS_ALREADY_RETIRED, "a selected block is retired"),
      new Step(UNITS_ALREADY_CANCELLED, "a selected block is cancelled"));

  private static final List<Step> OPEN_ACCOUNT = List.of(
      new Step(ID_MALFORMED, "holderId is given and is not a well-formed holder id"),
      new Step(FIELD_INVALID, "holderName or holderCountry is missing for a new holder; a given name is blank or "
          + "has control characters, or begins or ends with a space; accountName or type is missing; program is missing for an ISSUANCE account, "
          + "given for another type, or not a program code"),
      new Step(TEXT_TOO_LONG, "holderName or accountName is longer than " + Limits.NAME_LENGTH_MAX),
      new Step(COUNTRY_UNKNOWN, "holderCountry is given and not an assigned country"),
      new Step(HOLDER_NOT_FOUND, "holderId names no holder"),
      new Step(HOLDER_DETAILS_DIFFER, "holderName or holderCountry is given and differs from the holder's"),
      new Step(ISSUANCE_ACCOUNT_EXISTS, "an ISSUANCE account already exists for the program, whatever its status"));

  private static final List<Step> CHANGE_ACCOUNT_STATUS = List.of(
      new Step(ID_MALFORMED, "accountId is not a well-formed account id"),
      new Step(FIELD_INVALID, "the new status or the reason is missing, or the reason has control characters "
          + "other than tab and line feed"),
      new Step(TEXT_TOO_LONG, "the reason is longer than " + Limits.TEXT_LENGTH_MAX),
      new Step(ACCOUNT_NOT_FOUND, "accountId names no account"),
      new Step(ACCOUNT_CLOSED, "the account is closed"),
      new Step(ACCOUNT_STATUS_UNCHANGED, "the account already has the new status"),
      new Step(ACCOUNT_HAS_UNITS, "the new status is CLOSED and the account holds active units"));

  private static final List<Step> REGISTER_PROJECT = List.of(
      new Step(FIELD_INVALID, "program is not a program code; programProjectId, name, hostCountry, methodology, "
          + "category, mitigationType, creditingPeriod or activityStart is missing; a text is blank or has "
          + "control characters; a date is outside years " + Limits.YEAR_MIN + ".." + Limits.YEAR_MAX
          + "; tseMarketClass is given for a program other than JCREDIT; more than "
          + Limits.OTHER_REGISTRATIONS_MAX + " other registrations, or one whose program is missing, malformed or "
          + "the project's own, or whose projectId or period is missing"),
      new Step(TEXT_TOO_LONG, "programProjectId or another registration's projectId is longer than "
          + Limits.REFERENCE_LENGTH_MAX + ", or name or methodology longer than " + Limits.NAME_LENGTH_MAX),
      new Step(COUNTRY_UNKNOWN, "hostCountry is not an assigned country"),
      new Step(PERIOD_INVALID, "creditingPeriod or another registration's period ends before it starts"),
      new Step(PROJECT_ALREADY_REGISTERED, "the program already has a project with this programProjectId"));

  private static final List<Step> RECORD_AUTHORISATION = List.of(
      new Step(ID_MALFORMED, "an item of projectIds is not a well-formed project id"),
      new Step(FIELD_INVALID, "projectIds is given empty, names a project twice or more than "
          + Limits.AUTHORISATION_PROJECTS_MAX + " projects; hostCountry, loaReference, loaDate, purpose or firstTransferDefinition is missing; "
          + "loaReference is blank or has control characters, or (on one line) begins or ends with a space; loaDate, vintageFrom or vintageTo is outside years "
          + Limits.YEAR_MIN + ".." + Limits.YEAR_MAX),
      new Step(TEXT_TOO_LONG, "loaReference is longer than " + Limits.REFERENCE_LENGTH_MAX),
      new Step(COUNTRY_UNKNOWN, "hostCountry is not an assigned country"),
      new Step(QUANTITY_MUST_BE_POSITIVE, "authorisedQuantity is below 1"),
      new Step(QUANTITY_ABOVE_LIMIT, "authorisedQuantity is above 10^12"),
      new Step(PERIOD_INVALID, "vintageFrom is after vintageTo"),
      new Step(PROJECT_NOT_FOUND, "an item of projectIds names no project"),
      new Step(AUTHORISATION_HOST_COUNTRY_MISMATCH, "a project of projectIds is in another country than hostCountry"),
      new Step(AUTHORISATION_ALREADY_RECORDED, "an authorisation with the same loaReference exists"));

  private static final List<Step> ISSUE = List.of(
      new Step(ID_MALFORMED, "projectId is not a well-formed project id, or authorisationId is given and not a "
          + "well-formed authorisation id"),
      new Step(FIELD_INVALID, "monitoringPeriod or one of its dates is missing or outside years " + Limits.YEAR_MIN
          + ".." + Limits.YEAR_MAX + "; vintage is outside those years; unitType is not [A-Z]{2,8}; more than "
          + Limits.LABELS_MAX + " labels, or a label that is not [A-Z][A-Z0-9_]* of at most "
          + Limits.LABEL_LENGTH_MAX + " characters, or a repeated label"),
      new Step(PERIOD_INVALID, "monitoringPeriod ends before it starts"),
      new Step(MONITORING_PERIOD_NOT_ENDED, "monitoringPeriod ends on or after the day (UTC) the command is decided"),
      new Step(QUANTITY_MUST_BE_POSITIVE, "quantity is below 1"),
      new Step(QUANTITY_ABOVE_LIMIT, "quantity is above 10^12"),
      new Step(SERIAL_RANGE_INVALID, "serialStart is given and below 1, or serialStart + quantity - 1 is above "
          + "2^53-1"),
      new Step(PROJECT_NOT_FOUND, "projectId names no project"),
      new Step(ISSUANCE_ACCOUNT_MISSING, "the project's program has no ISSUANCE account"),
      new Step(ACCOUNT_NOT_ACTIVE, "the program's issuance account is suspended or closed"),
      new Step(MONITORING_PERIOD_OUTSIDE_CREDITING_PERIOD, "monitoringPeriod is not inside the crediting period"),
      new Step(VINTAGE_OUTSIDE_MONITORING_PERIOD, "vintage is before the year monitoringPeriod starts or after the "
          + "year it ends"),
      new Step(MONITORING_PERIOD_ALREADY_ISSUED, "an issuance of the project has an overlapping monitoring period"),
      new Step(ACTIVITY_ISSUED_IN_OTHER_PROGRAM, "an other registration of the project, not recorded cancelled, "
          + "has a period overlapping monitoringPeriod; or a project registered here under another program that the "
          + "project names among its other registrations, or that names it, has an issuance overlapping "
          + "monitoringPeriod"),
      new Step(AUTHORISATION_NOT_FOUND, "authorisationId is given and names no authorisation"),
      new Step(AUTHORISATION_HOST_COUNTRY_MISMATCH, "the authorisation's host country is not the project's"),
      new Step(AUTHORISATION_PROJECT_NOT_COVERED, "the authorisation names its projects, not this one"),
      new Step(VINTAGE_NOT_AUTHORISED, "a year of monitoringPeriod is outside the authorisation's vintageFrom..vintageTo"),
      new Step(ISSUANCE_EXCEEDS_AUTHORISED_QUANTITY, "the units already issued under the authorisation plus "
          + "quantity exceed its authorisedQuantity"),
      new Step(SERIAL_RANGE_OVERLAPS, "serialStart is given and the range overlaps an issued serial"),
      new Step(SERIAL_NUMBERS_EXHAUSTED, "serialStart is absent and the next free serial + quantity - 1 is above "
          + "2^53-1"));

  private static final List<Step> TRANSFER = concat(
      List.of(
          new Step(ID_MALFORMED, "fromAccountId or toAccountId is not a well-formed account id, or a selection "
              + "filter is not a well-formed issuance or project id"),
          new Step(FIELD_INVALID, SELECTION_FIELDS + "; reference is blank or has control characters, or (on one line) begins or ends with a space"),
          new Step(TEXT_TOO_LONG, "reference is longer than " + Limits.REFERENCE_LENGTH_MAX)),
      SELECTION_INPUT,
      List.of(
          new Step(SAME_ACCOUNT, "fromAccountId equals toAccountId"),
          new Step(ACCOUNT_NOT_FOUND, "fromAccountId, then toAccountId, names no account"),
          new Step(ACCOUNT_NOT_ACTIVE, "the sending, then the receiving, account is suspended or closed"),
          new Step(ACCOUNT_TYPE_CANNOT_RECEIVE, "the receiving account is an ISSUANCE, RETIREMENT or CANCELLATION account")),
      SELECTION_STATE);

  private static final List<Step> RETIRE = concat(
      List.of(
          new Step(ID_MALFORMED, "accountId is not a well-formed account id, or a selection filter is not a "
              + "well-formed issuance or project id"),
          new Step(RETIREMENT_DETAILS_MISSING, "purpose or beneficiaryName is missing; neither claimPeriod nor "
              + "reportingYear is given; a CORSIA retirement lacks corsia or its operator, operatorState or "
              + "compliancePeriod; an NDC retirement lacks ndcCountry"),
          new Step(FIELD_INVALID, SELECTION_FIELDS + "; a text is blank or has control characters, or (on one line) begins or ends with a space; claimPeriod "
              + "has a missing date or one outside years " + Limits.YEAR_MIN + ".." + Limits.YEAR_MAX
              + "; reportingYear is outside those years; corsia is given for another purpose than CORSIA, or "
              + "ndcCountry for another than NDC"),
          new Step(TEXT_TOO_LONG, "beneficiaryName or corsia.operator is longer than " + Limits.NAME_LENGTH_MAX
              + ", beneficiaryId longer than " + Limits.REFERENCE_LENGTH_MAX + ", or note longer than "
              + Limits.TEXT_LENGTH_MAX),
          new Step(COUNTRY_UNKNOWN, "corsia.operatorState or ndcCountry is not an assigned country"),
          new Step(PERIOD_INVALID, "claimPeriod ends before it starts"),
          new Step(CLAIM_OUTSIDE_COMPLIANCE_PERIOD, "for CORSIA, reportingYear, or a year of claimPeriod, is outside "
              + "corsia.compliancePeriod's years")),
      SELECTION_INPUT,
      List.of(
          new Step(ACCOUNT_NOT_FOUND, "accountId names no account"),
          new Step(ACCOUNT_NOT_ACTIVE, "the account is suspended or closed")),
      SELECTION_STATE,
      List.of(
          new Step(CORSIA_INELIGIBLE, "for CORSIA, a block fails ACTIVITY_STARTED_BEFORE_2016, VINTAGE_OUTSIDE_* "
              + "or PROGRAM_NOT_ELIGIBLE_FOR_PHASE"),
          new Step(UNITS_NOT_AUTHORISED_FOR_PURPOSE, "for CORSIA, a block fails NOT_AUTHORISED_FOR_OIMP; for NDC "
              + "of a country other than the project's host, a block's issuance has no authorisation covering "
              + "NDC"),
          new Step(CORRESPONDING_ADJUSTMENT_NOT_APPLIED, "for CORSIA, a block fails "
              + "CORRESPONDING_ADJUSTMENT_NOT_APPLIED; for NDC of a country other than the host, a block's "
              + "corresponding adjustment is not APPLIED"),
          new Step(UNITS_COMMITTED_TO_INTERNATIONAL_USE, "for the NDC of the project's host country, a block's "
              + "Article 6 first transfer is DONE or its corresponding adjustment APPLIED"),
          new Step(UNITS_INELIGIBLE_FOR_CLAIM, "for VCMI_CLAIM, a block's issuance lacks the label CCP; for GX_ETS, "
              + "a block is neither of program JCREDIT or JCM nor of a CCU, BLUE_CARBON, BECCS or DACCS project")));

  private static final List<Step> CANCEL = concat(
      List.of(
          new Step(ID_MALFORMED, "accountId is not a well-formed account id, or a selection filter is not a "
              + "well-formed issuance or project id"),
          new Step(CANCELLATION_DETAILS_MISSING, "reason is missing, or an EXPORT lacks targetRegistry or "
              + "externalReference"),
          new Step(FIELD_INVALID, SELECTION_FIELDS + "; a text is blank or has control characters, or (on one line) begins or ends with a space; targetRegistry "
              + "is given for a reason other than EXPORT"),
          new Step(TEXT_TOO_LONG, "targetRegistry or externalReference is longer than "
              + Limits.REFERENCE_LENGTH_MAX + ", or note longer than " + Limits.TEXT_LENGTH_MAX)),
      SELECTION_INPUT,
      List.of(
          new Step(ACCOUNT_NOT_FOUND, "accountId names no account"),
          new Step(ACCOUNT_NOT_ACTIVE, "the account is suspended or closed; for an INVALIDATION, closed")),
      SELECTION_STATE);

  private static final List<Step> APPLY_CORRESPONDING_ADJUSTMENT = List.of(
      new Step(ID_MALFORMED, "issuanceId is not a well-formed issuance id"),
      new Step(FIELD_INVALID, "hostCountry or reportReference is missing, or reportReference is blank or has "
          + "control characters"),
      new Step(TEXT_TOO_LONG, "reportReference is longer than " + Limits.REFERENCE_LENGTH_MAX),
      new Step(COUNTRY_UNKNOWN, "hostCountry is not an assigned country"),
      new Step(ISSUANCE_NOT_FOUND, "issuanceId names no issuance"),
      new Step(ISSUANCE_NOT_AUTHORISED, "the issuance has no authorisation"),
      new Step(AUTHORISATION_HOST_COUNTRY_MISMATCH, "hostCountry is not the authorisation's host country"),
      new Step(CORRESPONDING_ADJUSTMENT_ALREADY_APPLIED, "the corresponding adjustment is already APPLIED"));

  /** The rules of resolving a serial number (a query; it writes nothing). */
  public static final List<Step> RESOLVE_SERIAL_NUMBER = List.of(
      new Step(SERIAL_NUMBER_MALFORMED, "the text is neither a serial (a positive integer below 2^53) nor a "
          + "human-readable serial with a valid check character and start <= end"),
      new Step(SERIAL_NOT_ISSUED, "no block holds the first serial"),
      new Step(SERIAL_RANGE_SPANS_BLOCKS, "the range ends beyond the block holding its first serial"),
      new Step(SERIAL_NUMBER_DOES_NOT_MATCH, "the program, unit type, country, project, vintage or issuance "
          + "named is not that of the block's issuance"));

  /**
   * The checks every mutation makes of its idempotency key, before any rule of its command: a repeat of a key
   * with the same input answers the original result and runs no rule at all.
   */
  public static final List<Step> IDEMPOTENCY_KEY = List.of(
      new Step(FIELD_INVALID, "idempotencyKey is empty, longer than " + Limits.IDEMPOTENCY_KEY_LENGTH_MAX
          + " characters or not printable ASCII"),
      new Step(IDEMPOTENCY_CONFLICT, "this API key already used idempotencyKey for a request whose mutation or "
          + "input (without the key) differs"));

  /** The check the writer makes of every accepted command's entry, after its rules: the ledger's size bound. */
  public static final List<Step> ENTRY = List.of(
      new Step(ENTRY_TOO_LARGE, "the encoded entry is longer than 65,535 bytes"));

  private Precedence() {}

  /** The rules of a command in the order they are checked. */
  public static List<Step> of(CommandKind kind) {
    return switch (kind) {
      case OPEN_ACCOUNT -> OPEN_ACCOUNT;
      case CHANGE_ACCOUNT_STATUS -> CHANGE_ACCOUNT_STATUS;
      case REGISTER_PROJECT -> REGISTER_PROJECT;
      case RECORD_AUTHORISATION -> RECORD_AUTHORISATION;
      case ISSUE -> ISSUE;
      case TRANSFER -> TRANSFER;
      case RETIRE -> RETIRE;
      case CANCEL -> CANCEL;
      case APPLY_CORRESPONDING_ADJUSTMENT -> APPLY_CORRESPONDING_ADJUSTMENT;
    };
  }

  @SafeVarargs
  private static List<Step> concat(List<Step>... parts) {
    ArrayList<Step> all = new ArrayList<>();
    for (List<Step> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }
}
