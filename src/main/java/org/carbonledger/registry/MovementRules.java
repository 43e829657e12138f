package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import static org.carbonledger.registry.RejectCode.*;
import static org.carbonledger.registry.Rules.reject;

import java.util.Set;

/**
 * MovementRules decides transfers and cancellations, and holds the selection and account steps retirements
 * share (Precedence lists the order).
 */
final class MovementRules {

  private MovementRules() {}

  static Decision transfer(Transfer c, TransferSnapshot s) {
    if (!Ids.isValid(Ids.Kind.ACCOUNT, c.fromAccountId())) {
      return reject(ID_MALFORMED, "fromAccountId is not a well-formed account id");
    }
    if (!Ids.isValid(Ids.Kind.ACCOUNT, c.toAccountId())) {
      return reject(ID_MALFORMED, "toAccountId is not a well-formed account id");
    }
    if (Selections.malformedId(c.selection()) != null) {
      return reject(ID_MALFORMED, Selections.malformedId(c.selection()));
    }
    String invalid = new FirstProblem()
        .when(Selections.invalidField(c.selection()) != null, Selections.invalidField(c.selection()))
        .text("reference", c.reference(), false)
        .first();
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    if (c.reference() != null && c.reference().length() > Limits.REFERENCE_LENGTH_MAX) {
      return reject(TEXT_TOO_LONG, "reference is longer than " + Limits.REFERENCE_LENGTH_MAX);
    }
    Decision.Rejected badSelection = selectionInput(c.selection());
    if (badSelection != null) {
      return badSelection;
    }
    if (c.fromAccountId().equals(c.toAccountId())) {
      return reject(SAME_ACCOUNT, "fromAccountId and toAccountId are both " + c.fromAccountId());
    }
    Check.state(s.from() == null || s.from().accountId().equals(c.fromAccountId()), "snapshot sender mismatch");
    Check.state(s.to() == null || s.to().accountId().equals(c.toAccountId()), "snapshot receiver mismatch");
    if (s.from() == null) {
      return reject(ACCOUNT_NOT_FOUND, "no account " + c.fromAccountId());
    }
    if (s.to() == null) {
      return reject(ACCOUNT_NOT_FOUND, "no account " + c.toAccountId());
    }
    if (s.from().status() != AccountStatus.ACTIVE) {
      return reject(ACCOUNT_NOT_ACTIVE, "sending account " + c.fromAccountId() + " is " + s.from().status());
    }
    if (s.to().status() != AccountStatus.ACTIVE) {
      return reject(ACCOUNT_NOT_ACTIVE, "receiving account " + c.toAccountId() + " is " + s.to().status());
    }
    if (s.to().type() == AccountType.ISSUANCE) {
      return reject(ACCOUNT_TYPE_CANNOT_RECEIVE, "account " + c.toAccountId() + " is an issuance account");
    }
    // Units moved into such an account would stay ACTIVE there and could move out again, while anyone reading
    // the account's type would take them for used: retiring and cancelling are states, not destinations.
    if (s.to().type() == AccountType.RETIREMENT || s.to().type() == AccountType.CANCELLATION) {
      return reject(ACCOUNT_TYPE_CANNOT_RECEIVE, "account " + c.toAccountId() + " is a " + s.to().type()
          + " account: units are retired or cancelled where they are held (retireUnits, cancelUnits), not moved");
    }
    UnitPicker.Picked picked = UnitPicker.pick(c.selection(), c.fromAccountId(), s.candidates());
    if (picked.rejection() != null) {
      return picked.rejection();
    }
    return new Decision.Accepted(EntryTypes.UNITS_TRANSFERRED, new EntryData()
        .put("blocks", EntryData.ranges(picked.ranges()))
        .put("fromAccountId", c.fromAccountId())
        .put("quantity", picked.quantity())
        .putOptional("reference", c.reference())
        .put("toAccountId", c.toAccountId())
        .build());
  }

  static Decision cancel(Cancel c, CancelSnapshot s) {
    if (!Ids.isValid(Ids.Kind.ACCOUNT, c.accountId())) {
      return reject(ID_MALFORMED, "accountId is not a well-formed account id");
    }
    if (Selections.malformedId(c.selection()) != null) {
      return reject(ID_MALFORMED, Selections.malformedId(c.selection()));
    }
    FirstProblem missing = new FirstProblem().missing("reason", c.reason());
    if (c.reason() == CancellationReason.EXPORT) {
      missing.missing("targetRegistry", c.targetRegistry()).missing("externalReference", c.externalReference());
    }
    if (missing.first() != null) {
      return reject(CANCELLATION_DETAILS_MISSING, missing.first());
    }
    String invalid = new FirstProblem()
        .when(Selections.invalidField(c.selection()) != null, Selections.invalidField(c.selection()))
        .text("targetRegistry", c.targetRegistry(), false)
        .text("externalReference", c.externalReference(), false)
        .text("note", c.note(), true)
        .when(c.targetRegistry() != null && c.reason() != CancellationReason.EXPORT,
            "targetRegistry is only for an EXPORT")
        .first();
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    String tooLong = new FirstProblem()
        .tooLong("targetRegistry", c.targetRegistry(), Limits.REFERENCE_LENGTH_MAX)
        .tooLong("externalReference", c.externalReference(), Limits.REFERENCE_LENGTH_MAX)
        .tooLong("note", c.note(), Limits.TEXT_LENGTH_MAX)
        .first();
    if (tooLong != null) {
      return reject(TEXT_TOO_LONG, tooLong);
    }
    Decision.Rejected badSelection = selectionInput(c.selection());
    if (badSelection != null) {
      return badSelection;
    }
    Decision.Rejected badAccount = usableAccount(c.accountId(), s.account(), c.reason().accountStatuses());
    if (badAccount != null) {
      return badAccount;
    }
    UnitPicker.Picked picked = UnitPicker.pick(c.selection(), c.accountId(), s.candidates());
    if (picked.rejection() != null) {
      return picked.rejection();
    }
    return new Decision.Accepted(EntryTypes.UNITS_CANCELLED, new EntryData()
        .put("accountId", c.accountId())
        .put("blocks", EntryData.ranges(picked.ranges()))
        .putOptional("externalReference", c.externalReference())
        .putOptional("note", c.note())
        .put("quantity", picked.quantity())
        .put("reason", c.reason().name())
        .putOptional("targetRegistry", c.targetRegistry())
        .build());
  }

  /** QUANTITY_MUST_BE_POSITIVE, SERIAL_RANGE_INVALID, QUANTITY_ABOVE_LIMIT of a present selection. */
  static Decision.Rejected selectionInput(UnitSelection selection) {
    if (Selections.nonPositive(selection) != null) {
      return reject(QUANTITY_MUST_BE_POSITIVE, Selections.nonPositive(selection));
    }
    if (Selections.rangeInvalid(selection) != null) {
      return reject(SERIAL_RANGE_INVALID, Selections.rangeInvalid(selection));
    }
    if (Selections.aboveLimit(selection) != null) {
      return reject(QUANTITY_ABOVE_LIMIT, Selections.aboveLimit(selection));
    }
    return null;
  }

  /** ACCOUNT_NOT_FOUND, ACCOUNT_NOT_ACTIVE of the account that uses its units, which must be ACTIVE. */
  static Decision.Rejected usableAccount(String accountId, Account account) {
    return usableAccount(accountId, account, Set.of(AccountStatus.ACTIVE));
  }

  /** ACCOUNT_NOT_FOUND, ACCOUNT_NOT_ACTIVE of the account that uses its units, in one of {@code allowed}. */
  private static Decision.Rejected usableAccount(String accountId, Account account, Set<AccountStatus> allowed) {
    Check.state(account == null || account.accountId().equals(accountId), "snapshot account mismatch");
    if (account == null) {
      return reject(ACCOUNT_NOT_FOUND, "no account " + accountId);
    }
    if (!allowed.contains(account.status())) {
      return reject(ACCOUNT_NOT_ACTIVE, "account " + accountId + " is " + account.status());
    }
    return null;
  }
}
