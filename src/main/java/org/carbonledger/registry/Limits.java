package org.carbonledger.registry;

/**
 * Limits are the bounds on everything a command may carry. Each keeps entries well under the 65,535-byte entry
 * limit of LEDGER-FORMAT.md (RegistryLimitsTest checks the worst case) and turns a hostile or mistaken input
 * into a reject code instead of a huge entry or an overflow.
 */
public final class Limits {

  /** Largest quantity of one command, in tonnes: 10^12, above a century of today's whole voluntary market. */
  public static final long QUANTITY_MAX = 1_000_000_000_000L;

  /** Largest serial number, 2^53 - 1, so every serial is an exact JSON number in every parser. */
  public static final long SERIAL_MAX = (1L << 53) - 1;

  /** Longest name (holder, account, project, methodology, beneficiary, operator), in UTF-16 code units. */
  public static final int NAME_LENGTH_MAX = 200;

  /** Longest reference (program project id, LoA reference, transfer or external reference, registry name). */
  public static final int REFERENCE_LENGTH_MAX = 100;

  /** Longest idempotency key a mutation may carry, in printable ASCII characters: room for a UUID or a trade id. */
  public static final int IDEMPOTENCY_KEY_LENGTH_MAX = 100;

  /** Longest free text (status change reason, note). */
  public static final int TEXT_LENGTH_MAX = 1000;

  /** Earliest year of a date, vintage or reporting year; earlier is a typo, not a carbon credit. */
  public static final int YEAR_MIN = 1900;

  /** Latest year of a date, vintage or reporting year; dates are written with four-digit years. */
  public static final int YEAR_MAX = 9999;

  /** Most labels on one issuance. */
  public static final int LABELS_MAX = 16;
  /** Most projects one letter of authorisation names. */
  public static final int AUTHORISATION_PROJECTS_MAX = 100;

  /** Longest label. */
  public static final int LABEL_LENGTH_MAX = 32;

  /** Most registrations of a project in other programs. */
  public static final int OTHER_REGISTRATIONS_MAX = 16;

  /** Most serial ranges one command may name. */
  public static final int SELECTION_RANGES_MAX = 100;

  /**
   * Most blocks one transfer, retirement or cancellation may move: each is about 40 bytes of entry, so 1,000
   * blocks stay far below the entry limit. A snapshot holds at most one more candidate than this.
   */
  public static final int BLOCKS_PER_ENTRY_MAX = 1000;

  private Limits() {}
}
