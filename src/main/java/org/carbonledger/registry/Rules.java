package org.carbonledger.registry;

/**
 * Rules decides commands: one pure function per command takes the command, as the client sent it, and the
 * snapshot of exactly the state it needs, and runs straight down the command's {@link Precedence} list, "if
 * this, return that code". An accepted command yields its entry's type and data, with every registry-assigned
 * id and serial computed from the snapshot's counters; nothing else is read, and nothing is written.
 *
 * <p>A snapshot that contradicts its contract (another object than the command names, blocks out of order) is a
 * bug in whoever loaded it: the rules throw IllegalStateException rather than guess.
 */
public final class Rules {

  private Rules() {}

  /** Decides an {@link OpenAccount}: writes ACCOUNT_OPENED. */
  public static Decision decide(OpenAccount command, OpenAccountSnapshot snapshot) {
    return AccountRules.open(command, snapshot);
  }

  /** Decides a {@link ChangeAccountStatus}: writes ACCOUNT_STATUS_CHANGED. */
  public static Decision decide(ChangeAccountStatus command, ChangeAccountStatusSnapshot snapshot) {
    return AccountRules.changeStatus(command, snapshot);
  }

  /** Decides a {@link RegisterProject}: writes PROJECT_REGISTERED. */
  public static Decision decide(RegisterProject command, RegisterProjectSnapshot snapshot) {
    return ProjectRules.register(command, snapshot);
  }

  /** Decides a {@link RecordAuthorisation}: writes AUTHORISATION_RECORDED. */
  public static Decision decide(RecordAuthorisation command, RecordAuthorisationSnapshot snapshot) {
    return AuthorisationRules.record(command, snapshot);
  }

  /** Decides an {@link Issue}: writes UNITS_ISSUED. */
  public static Decision decide(Issue command, IssueSnapshot snapshot) {
    return IssueRules.issue(command, snapshot);
  }

  /** Decides a {@link Transfer}: writes UNITS_TRANSFERRED. */
  public static Decision decide(Transfer command, TransferSnapshot snapshot) {
    return MovementRules.transfer(command, snapshot);
  }

  /** Decides a {@link Retire}: writes UNITS_RETIRED. */
  public static Decision decide(Retire command, RetireSnapshot snapshot) {
    return RetirementRules.retire(command, snapshot);
  }

  /** Decides a {@link Cancel}: writes UNITS_CANCELLED. */
  public static Decision decide(Cancel command, CancelSnapshot snapshot) {
    return MovementRules.cancel(command, snapshot);
  }

  /** Decides an {@link ApplyCorrespondingAdjustment}: writes CORRESPONDING_ADJUSTMENT_APPLIED. */
  public static Decision decide(ApplyCorrespondingAdjustment command, ApplyCorrespondingAdjustmentSnapshot snapshot) {
    return AuthorisationRules.applyAdjustment(command, snapshot);
  }

  static Decision.Rejected reject(RejectCode code, String message) {
    return new Decision.Rejected(code, message);
  }
}
