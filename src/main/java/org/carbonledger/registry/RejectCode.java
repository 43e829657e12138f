package org.carbonledger.registry;

/**
 * RejectCode is the stable reason a command was refused: the API returns it, clients branch on it, the message is
 * only for people. Numbers come in families: 1xx input, 2xx accounts, 3xx projects, 4xx authorisations and
 * corresponding adjustments, 5xx issuance, 6xx holdings and movement, 7xx use and claims. A number is never
 * reused: a retired code stays as {@code DEPRECATED_<number>}. {@code transient} says a retry of the same input
 * might succeed once other commands change the state. Which code a command reports when several rules fail is
 * {@link Precedence}; {@link RejectCodeTable} renders both into docs/REJECT-CODES.md.
 *
 * <p>Last number issued: 110, 211, 302, 408, 508, 607, 708.
 */
public enum RejectCode {

  ID_MALFORMED(101, false,
      "An identifier is missing, has the wrong kind letter or length, or fails its check character.",
      "CORSIA EUC identification and tracking; ISO/IEC 7064 MOD 37,36 check characters"),
  FIELD_INVALID(102, false,
      "A field is missing, malformed or not allowed here; the message names the field.",
      "Complete, well-formed records (CORSIA EUC identification and tracking)"),
  TEXT_TOO_LONG(103, false,
      "A name, reference or note is longer than its limit.",
      "Bounded entries (LEDGER-FORMAT.md: at most 65,535 bytes per entry)"),
  QUANTITY_MUST_BE_POSITIVE(104, false,
      "A quantity is zero or negative; units are whole tonnes CO2e.",
      "ICVCM CCP tracking: every unit is one tonne CO2e"),
  QUANTITY_ABOVE_LIMIT(105, false,
      "A quantity is above 10^12 tonnes.",
      "Exact quantities: integers far below 2^53, never an overflow"),
  COUNTRY_UNKNOWN(106, false,
      "A country is not an assigned ISO 3166-1 alpha-2 code.",
      "Paris Agreement Article 6 host-country attribution; ISO 3166-1"),
  PERIOD_INVALID(107, false,
      "A period or vintage range ends before it starts.",
      "Vintage integrity of crediting, monitoring and claim periods"),
  SERIAL_RANGE_INVALID(108, false,
      "A serial range is outside 1..2^53-1, ends before it starts, or overlaps another range of the command.",
      "CORSIA EUC identification and tracking: unique serial numbers"),
  SERIAL_NUMBER_MALFORMED(109, false,
      "A serial number is neither a positive integer nor a well-formed human-readable serial with its check.",
      "CORSIA EUC identification and tracking; ISO/IEC 7064 MOD 37,36 check characters"),
  IDEMPOTENCY_CONFLICT(110, false,
      "The idempotency key was already used by this API key for a request with different input.",
      "Reliable submission: a client-chosen request id makes a retry take effect at most once"),
  ENTRY_TOO_LARGE(111, false,
      "The command's entry would exceed 65,535 bytes; the writer refuses it rather than truncate it.",
      "Bounded entries (LEDGER-FORMAT.md: a C2SP entry bundle prefixes each entry with a uint16 length)"),

  ACCOUNT_NOT_FOUND(201, true,
      "No account has this id.",
      "Chain of custody: units are only ever held by registry accounts"),
  ACCOUNT_NOT_ACTIVE(202, true,
      "The account is suspended or closed, so its units are frozen and it can receive nothing.",
      "CORSIA EUC clear and transparent chain of custody; registry account suspension"),
  SAME_ACCOUNT(203, false,
      "The sending and receiving accounts are the same.",
      "Chain of custody: a transfer changes the holder"),
  ACCOUNT_STATUS_UNCHANGED(204, true,
      "The account already has the requested status.",
      "Append-only log: every entry records a change"),
  ACCOUNT_CLOSED(205, false,
      "The account is closed, and a closed account is never reopened.",
      "Registry audit trail: closing is final"),
  ACCOUNT_HAS_UNITS(206, true,
      "The account still holds active units, so it cannot be closed.",
      "Chain of custody: every active unit has an open holder"),
  ISSUANCE_ACCOUNT_EXISTS(207, false,
      "The program already has its issuance account.",
      "CORSIA EUC offset credit issuance procedures: one issuance account per program"),
  ISSUANCE_ACCOUNT_MISSING(208, true,
      "The project's program has no issuance account to issue into.",
      "CORSIA EUC offset credit issuance procedures: one issuance account per program"),
  ACCOUNT_TYPE_CANNOT_RECEIVE(209, false,
      "Units cannot be transferred into an ISSUANCE, RETIREMENT or CANCELLATION account.",
      "CORSIA EUC offset credit issuance procedures: units leave the issuance account and never return; retired "
          + "and cancelled units are final states, never a transfer"),
  HOLDER_NOT_FOUND(210, true,
      "No account holder has this id.",
      "CORSIA EUC legal nature and transfer of units: every account has a known holder"),
  HOLDER_DETAILS_DIFFER(211, false,
      "The holder name or country given differs from the existing holder's.",
      "CORSIA EUC legal nature and transfer of units: one identity per holder"),

  PROJECT_NOT_FOUND(301, true,
      "No project has this id.",
      "CORSIA EUC identification and tracking: every unit traces to a registered project"),
  PROJECT_ALREADY_REGISTERED(302, false,
      "The program already has a project with this program project id.",
      "ICVCM CCP no double counting: one registration per program project (double issuance)"),

  AUTHORISATION_NOT_FOUND(401, true,
      "No authorisation has this id.",
      "Paris Agreement Article 6.2 authorisation"),
  AUTHORISATION_ALREADY_RECORDED(402, false,
      "A letter of authorisation with this reference is already recorded.",
      "Paris Agreement Article 6.2: each letter of authorisation recorded once"),
  AUTHORISATION_HOST_COUNTRY_MISMATCH(403, false,
      "An authorisation and a project have different host countries (issuing under it, or naming the project in it), or the country named is not the host.",
      "Paris Agreement Article 6.2: only the host country authorises and adjusts"),
  VINTAGE_NOT_AUTHORISED(404, false,
      "The monitoring period reaches outside the authorisation's vintages.",
      "Paris Agreement Article 6.2 authorisation scope"),
  ISSUANCE_EXCEEDS_AUTHORISED_QUANTITY(405, false,
      "Issuing this quantity would take the units issued under the authorisation above its authorised quantity.",
      "Paris Agreement Article 6.2 authorisation scope; CORSIA EUC avoidance of double claiming"),
  ISSUANCE_NOT_AUTHORISED(406, false,
      "The issuance has no authorisation, so no corresponding adjustment applies to it.",
      "Paris Agreement Article 6.2 corresponding adjustment: for authorised units only"),
  CORRESPONDING_ADJUSTMENT_ALREADY_APPLIED(407, false,
      "The corresponding adjustment for this issuance is already applied.",
      "Paris Agreement Article 6.2 corresponding adjustment: applied once"),
  AUTHORISATION_PROJECT_NOT_COVERED(408, false,
      "The authorisation names its projects, and not this issuance's.",
      "Paris Agreement Article 6.2 authorisation scope: a letter authorises named activities"),

  MONITORING_PERIOD_OUTSIDE_CREDITING_PERIOD(501, false,
      "The monitoring period is not inside the project's crediting period.",
      "ICVCM CCP robust quantification: credits only for the crediting period"),
  VINTAGE_OUTSIDE_MONITORING_PERIOD(502, false,
      "The vintage is not a year the monitoring period touches.",
      "Vintage integrity: the vintage is when the mitigation happened"),
  MONITORING_PERIOD_ALREADY_ISSUED(503, false,
      "Units were already issued for an overlapping monitoring period of the same project.",
      "CORSIA EUC avoidance of double issuance; ICVCM CCP no double counting"),
  ACTIVITY_ISSUED_IN_OTHER_PROGRAM(504, false,
      "The activity is registered in another program for an overlapping period and not recorded cancelled there, "
          + "or was issued for an overlapping period under another program in this registry.",
      "CORSIA EUC avoidance of double issuance across programs; ICVCM CCP no double counting"),
  SERIAL_RANGE_OVERLAPS(505, false,
      "The requested serials overlap serials already issued.",
      "CORSIA EUC identification and tracking: unique serial numbers (double issuance)"),
  SERIAL_NUMBERS_EXHAUSTED(506, false,
      "The registry has no free serials left below 2^53 for this quantity.",
      "CORSIA EUC identification and tracking: unique serial numbers below 2^53"),
  ISSUANCE_NOT_FOUND(507, true,
      "No issuance has this id.",
      "CORSIA EUC identification and tracking"),
  MONITORING_PERIOD_NOT_ENDED(508, false,
      "The monitoring period has not ended: units are issued only for reductions that have happened.",
      "ICVCM CCP robust quantification and CORSIA EUC: ex-post, verified reductions only"),

  SERIAL_NOT_ISSUED(601, true,
      "A named serial was never issued.",
      "ICVCM CCP tracking: only issued units exist"),
  SERIAL_RANGE_SPANS_BLOCKS(602, false,
      "A serial range to resolve crosses a block boundary, so it names no single block.",
      "CORSIA EUC identification and tracking: a serial range names one block"),
  UNITS_NOT_HELD(603, true,
      "The sending account does not hold the named units, or holds fewer matching active units than asked.",
      "Kyoto ITL check 7027 (units not held by the transferring account); clear chain of custody"),
  UNITS_ALREADY_RETIRED(604, false,
      "Some of the units are retired, and retired units never move again.",
      "CORSIA EUC avoidance of double use; ICVCM CCP no double counting"),
  UNITS_ALREADY_CANCELLED(605, false,
      "Some of the units are cancelled, and cancelled units never move again.",
      "CORSIA EUC avoidance of double use; ICVCM CCP no double counting"),
  SELECTION_SPANS_TOO_MANY_BLOCKS(606, false,
      "The units would come from more than 1,000 blocks; move them in several commands.",
      "Bounded entries (LEDGER-FORMAT.md: at most 65,535 bytes per entry)"),
  SERIAL_NUMBER_DOES_NOT_MATCH(607, false,
      "The parts of a human-readable serial do not name the issuance its serial range belongs to.",
      "CORSIA EUC identification and tracking"),

  RETIREMENT_DETAILS_MISSING(701, false,
      "A retirement lacks its purpose, beneficiary, claim period or reporting year, CORSIA details or NDC country.",
      "CORSIA EUC offset credit retirement procedures; VCMI Claims Code: who claims, for when"),
  CANCELLATION_DETAILS_MISSING(702, false,
      "A cancellation lacks its reason, or an export its target registry or external reference.",
      "CORSIA EUC offset credit retirement procedures; chain of custody across registries"),
  UNITS_NOT_AUTHORISED_FOR_PURPOSE(703, false,
      "Units used for another country's NDC or for CORSIA (OIMP) lack an authorisation for that purpose.",
      "Paris Agreement Article 6.2 authorisation; CORSIA EUC host-country letter of authorisation"),
  CORRESPONDING_ADJUSTMENT_NOT_APPLIED(704, true,
      "Units used for CORSIA first or second phase or another country's NDC lack an applied corresponding "
          + "adjustment (for the first phase, one the letter of authorisation attests will be applied also does).",
      "CORSIA EUC avoidance of double claiming; Paris Agreement Article 6.2 corresponding adjustment"),
  CORSIA_INELIGIBLE(705, false,
      "Units fail CORSIA eligibility for the compliance period: activity start, vintage or program label.",
      "CORSIA Eligible Emissions Units (ICAO TAB: eligible programs, vintages and activity start dates)"),
  UNITS_COMMITTED_TO_INTERNATIONAL_USE(706, false,
      "Units used toward their host country's own NDC are authorised and first transferred, or adjusted: the "
          + "host counts them as used abroad.",
      "Paris Agreement Article 6.2 corresponding adjustment: a reduction is counted once; ICVCM CCP no double "
          + "counting"),
  UNITS_INELIGIBLE_FOR_CLAIM(707, false,
      "Units do not meet the quality criteria of the retirement's claim: a VCMI claim needs CCP-labelled units; "
          + "GX-ETS counts J-Credits and JCM credits, and other credits only from CCU, blue carbon, BECCS or DACCS "
          + "projects.",
      "VCMI Claims Code of Practice: CCP-quality credits; GX-ETS phase 1: eligible credits and methodologies"),
  CLAIM_OUTSIDE_COMPLIANCE_PERIOD(708, false,
      "A CORSIA retirement's reportingYear or claimPeriod is outside the years of its compliance period.",
      "ICAO CORSIA: units are cancelled against one compliance period's offsetting requirements");

  private final int number;
  private final boolean isTransient;
  private final String doc;
  private final String concept;

  RejectCode(int number, boolean isTransient, String doc, String concept) {
    this.number = number;
    this.isTransient = isTransient;
    this.doc = doc;
    this.concept = concept;
  }

  /** The stable number; never reused for another meaning. */
  public int number() {
    return number;
  }

  /** True if a retry of the same input might succeed after other commands change the state. */
  public boolean isTransient() {
    return isTransient;
  }

  /** One sentence on what the input did wrong. */
  public String doc() {
    return doc;
  }

  /** The market or regulatory concept the rule enforces (CORSIA EUC, ICVCM CCP, Article 6, ITL). */
  public String concept() {
    return concept;
  }
}
