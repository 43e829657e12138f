package org.carbonledger.registry;

import org.carbonledger.ledger.Check;
import static org.carbonledger.registry.RejectCode.*;
import static org.carbonledger.registry.Rules.reject;

/** AccountRules decides opening accounts and changing their status (Precedence lists the order). */
final class AccountRules {

  private AccountRules() {}

  static Decision open(OpenAccount c, OpenAccountSnapshot s) {
    if (c.holderId() != null && !Ids.isValid(Ids.Kind.HOLDER, c.holderId())) {
      return reject(ID_MALFORMED, "holderId is not a well-formed holder id");
    }
    boolean newHolder = c.holderId() == null;
    FirstProblem invalid = new FirstProblem();
    if (newHolder) {
      invalid.missing("holderName", c.holderName()).missing("holderCountry", c.holderCountry());
    }
    invalid.text("holderName", c.holderName(), false)
        .missing("accountName", c.accountName())
        .text("accountName", c.accountName(), false)
        .missing("type", c.type())
        .when(c.type() == AccountType.ISSUANCE && c.program() == null, "program is required for an ISSUANCE account")
        .when(c.type() != AccountType.ISSUANCE && c.program() != null, "program is only for ISSUANCE accounts")
        .when(c.program() != null && !Tokens.isProgram(c.program()), "program is not a program code");
    if (invalid.first() != null) {
      return reject(FIELD_INVALID, invalid.first());
    }
    String tooLong = new FirstProblem()
        .tooLong("holderName", c.holderName(), Limits.NAME_LENGTH_MAX)
        .tooLong("accountName", c.accountName(), Limits.NAME_LENGTH_MAX)
        .first();
    if (tooLong != null) {
      return reject(TEXT_TOO_LONG, tooLong);
    }
    if (c.holderCountry() != null && !Countries.isAssigned(c.holderCountry())) {
      return reject(COUNTRY_UNKNOWN, "holderCountry is not an ISO 3166-1 alpha-2 country");
    }
    Holder holder = s.holder();
    Check.state(holder == null || !newHolder && holder.holderId().equals(c.holderId()), "snapshot holder mismatch");
    if (!newHolder && holder == null) {
      return reject(HOLDER_NOT_FOUND, "no holder " + c.holderId());
    }
    if (!newHolder && (c.holderName() != null && !c.holderName().equals(holder.name())
        || c.holderCountry() != null && !c.holderCountry().equals(holder.country()))) {
      return reject(HOLDER_DETAILS_DIFFER, "holder " + holder.holderId() + " has another name or country");
    }
    Account existing = s.issuanceAccount();
    Check.state(existing == null || existing.type() == AccountType.ISSUANCE && existing.program().equals(c.program()),
        "snapshot issuance account mismatch");
    if (c.type() == AccountType.ISSUANCE && existing != null) {
      return reject(ISSUANCE_ACCOUNT_EXISTS, "program " + c.program() + " has issuance account "
          + existing.accountId());
    }
    if (newHolder) {
      holder = new Holder(Ids.format(Ids.Kind.HOLDER, s.nextHolderNumber()), c.holderName(), c.holderCountry());
    }
    return new Decision.Accepted(EntryTypes.ACCOUNT_OPENED, new EntryData()
        .put("accountId", Ids.format(Ids.Kind.ACCOUNT, s.nextAccountNumber()))
        .put("holder", new EntryData()
            .put("country", holder.country())
            .put("holderId", holder.holderId())
            .put("name", holder.name())
            .build())
        .put("name", c.accountName())
        .putOptional("program", c.program())
        .put("type", c.type().name())
        .build());
  }

  static Decision changeStatus(ChangeAccountStatus c, ChangeAccountStatusSnapshot s) {
    if (!Ids.isValid(Ids.Kind.ACCOUNT, c.accountId())) {
      return reject(ID_MALFORMED, "accountId is not a well-formed account id");
    }
    String invalid = new FirstProblem()
        .missing("status", c.newStatus())
        .missing("reason", c.reason())
        .text("reason", c.reason(), true)
        .first();
    if (invalid != null) {
      return reject(FIELD_INVALID, invalid);
    }
    if (c.reason().length() > Limits.TEXT_LENGTH_MAX) {
      return reject(TEXT_TOO_LONG, "reason is longer than " + Limits.TEXT_LENGTH_MAX);
    }
    Account account = s.account();
    Check.state(account == null || account.accountId().equals(c.accountId()), "snapshot account mismatch");
    if (account == null) {
      return reject(ACCOUNT_NOT_FOUND, "no account " + c.accountId());
    }
    if (account.status() == AccountStatus.CLOSED) {
      return reject(ACCOUNT_CLOSED, "account " + account.accountId() + " is closed");
    }
    if (account.status() == c.newStatus()) {
      return reject(ACCOUNT_STATUS_UNCHANGED, "account " + account.accountId() + " is already " + c.newStatus());
    }
    if (c.newStatus() == AccountStatus.CLOSED && s.activeQuantity() > 0) {
      return reject(ACCOUNT_HAS_UNITS, "account " + account.accountId() + " holds " + s.activeQuantity()
          + " active units");
    }
    return new Decision.Accepted(EntryTypes.ACCOUNT_STATUS_CHANGED, new EntryData()
        .put("accountId", account.accountId())
        .put("reason", c.reason())
        .put("status", c.newStatus().name())
        .build());
  }
}
