package org.carbonledger.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.CancellationReason;

/**
 * AccessPolicy decides whether a {@link Principal} may run a mutation or see a piece of the registry. It is pure:
 * callers load what it needs (the source account of a movement, the holder owning what is read) and it does no
 * I/O. A denial carries UNAUTHENTICATED when the request needs credentials it did not bring, FORBIDDEN when the
 * credentials it brought do not allow this.
 *
 * <h2>Transparency policy</h2>
 *
 * <p><b>Public, to anyone without a key:</b> the log (checkpoints, entries, inclusion and consistency proofs,
 * receipts, tiles); projects; authorisations and corresponding adjustments; issuances; retirements with their
 * beneficiary, purpose and claim; cancellations; statistics and conservation; CORSIA eligibility; serial
 * resolution and chain of custody. The registry's claim is that anyone can verify and replay it, so a verifier
 * must see every entry; and double issuance, double use and double claiming are prevented by everyone being able
 * to see what was issued, moved, retired and claimed, by whom and for what.
 *
 * <p><b>Private, to REGISTRY_ADMIN, AUDITOR and the ACCOUNT_HOLDER key of the owning holder:</b> an account
 * holder's details (name, country, its accounts) and an account's name, balance and holdings (its blocks).
 * The list of API keys (id, role, holder, name, times) is for REGISTRY_ADMIN and AUDITOR, who must be able to
 * say which principal wrote an entry. Secrets and their hashes are served to no one.
 *
 * <p><b>Why private reads are a courtesy, not a secret.</b> The log is public and replayable, so whatever an entry
 * holds is public by construction. Entries name accounts by id, but {@code ACCOUNT_OPENED} also carries the
 * holder's id, name and country and the account's name, and every transfer, retirement and cancellation names its
 * accounts and exact serial ranges: anyone who replays the log can rebuild every account's holdings. The private
 * reads only keep the API from serving a ready-made, queryable view of one party's position. Making holdings
 * confidential would take a different entry format (a ledger change), not a different policy.
 *
 * <h2>Mutations</h2>
 *
 * <p>Registry mutations and key management are for REGISTRY_ADMIN. Transfers, retirements and cancellations take
 * units out of a source account: an ACCOUNT_HOLDER may do that from its holder's accounts, a REGISTRY_ADMIN from
 * the accounts the registry runs (ISSUANCE, BUFFER), and nobody from an account the caller could not name (none
 * loaded). An account's holder and type never change after it is opened, so facts loaded before the command is
 * queued still hold when the writer runs it. AUDITOR and PUBLIC change nothing.
 */
public final class AccessPolicy {

  /** Denial is why access is refused, as the GraphQL {@code extensions.code} of the error. */
  public enum Denial {
    /** The request brought no credentials (or none that authenticated) and this needs some. */
    UNAUTHENTICATED,
    /** The request's principal is known, and its role or holder does not allow this. */
    FORBIDDEN
  }

  /** Access is the decision: allowed, or denied with a code and a one-line reason (the code is the contract). */
  public record Access(Denial denial, String message) {
    public static final Access ALLOWED = new Access(null, null);

    public Access {
      if ((denial == null) != (message == null)) {
        throw new IllegalArgumentException("a denial has a message and an allowance has none");
      }
    }

    public static Access denied(Denial denial, String message) {
      return new Access(denial, message);
    }

    public boolean allowed() {
      return denial == null;
    }
  }

  /** AccountFacts is what the policy needs of a source account; both facts are fixed when the account opens. */
  public record AccountFacts(String accountId, String holderId, AccountType type) {}

  /** Who may run a mutation: the registry's operator, or whoever may operate its source account. */
  public enum MutationScope { REGISTRY, SOURCE_ACCOUNT }

  /** MutationKind is one mutation of the API, named by its GraphQL field. */
  public enum MutationKind {
    OPEN_ACCOUNT("openAccount", MutationScope.REGISTRY),
    SUSPEND_ACCOUNT("suspendAccount", MutationScope.REGISTRY),
    REACTIVATE_ACCOUNT("reactivateAccount", MutationScope.REGISTRY),
    CLOSE_ACCOUNT("closeAccount", MutationScope.REGISTRY),
    REGISTER_PROJECT("registerProject", MutationScope.REGISTRY),
    RECORD_AUTHORISATION("recordAuthorisation", MutationScope.REGISTRY),
    ISSUE_UNITS("issueUnits", MutationScope.REGISTRY),
    APPLY_CORRESPONDING_ADJUSTMENT("applyCorrespondingAdjustment", MutationScope.REGISTRY),
    TRANSFER_UNITS("transferUnits", MutationScope.SOURCE_ACCOUNT),
    RETIRE_UNITS("retireUnits", MutationScope.SOURCE_ACCOUNT),
    CANCEL_UNITS("cancelUnits", MutationScope.SOURCE_ACCOUNT),
    /** Asked once per transfer of the batch, with that transfer's source account. */
    SETTLE_TRANSFERS("settleTransfers", MutationScope.SOURCE_ACCOUNT),
    CREATE_API_KEY("createApiKey", MutationScope.REGISTRY),
    REVOKE_API_KEY("revokeApiKey", MutationScope.REGISTRY);

    private final String field;
    private final MutationScope scope;

    MutationKind(String field, MutationScope scope) {
      this.field = field;
      this.scope = scope;
    }

    /** The Mutation field this kind guards. */
    public String field() {
      return field;
    }

    public MutationScope scope() {
      return scope;
    }

    /** The kind guarding Mutation field {@code field}, or empty. */
    public static Optional<MutationKind> ofField(String field) {
      return Arrays.stream(values()).filter(kind -> kind.field.equals(field)).findFirst();
    }
  }

  /** Who may see a kind of read: anyone, the owning holder and the operators, or the operators only. */
  public enum Visibility { PUBLIC, OWNER, OPERATORS }

  /** ReadKind is a piece of the registry a query returns, with who may see it (see the class comment for why). */
  public enum ReadKind {
    LOG(Visibility.PUBLIC),
    PROJECTS(Visibility.PUBLIC),
    AUTHORISATIONS(Visibility.PUBLIC),
    ISSUANCES(Visibility.PUBLIC),
    RETIREMENTS(Visibility.PUBLIC),
    CANCELLATIONS(Visibility.PUBLIC),
    STATISTICS(Visibility.PUBLIC),
    CONSERVATION(Visibility.PUBLIC),
    CORSIA_ELIGIBILITY(Visibility.PUBLIC),
    SERIAL_RESOLUTION(Visibility.PUBLIC),
    CHAIN_OF_CUSTODY(Visibility.PUBLIC),
    /** An account holder's name, country and accounts. */
    ACCOUNT_HOLDER_DETAILS(Visibility.OWNER),
    /** An account's name, balance and holdings. */
    ACCOUNT_DETAILS(Visibility.OWNER),
    API_KEYS(Visibility.OPERATORS);

    private final Visibility visibility;

    ReadKind(Visibility visibility) {
      this.visibility = visibility;
    }

    public Visibility visibility() {
      return visibility;
    }
  }

  /** The account types the registry itself runs, whose units a REGISTRY_ADMIN moves. */
  public static final Set<AccountType> REGISTRY_OPERATED = Set.of(AccountType.ISSUANCE, AccountType.BUFFER);

  private static final Access NO_CREDENTIALS = Access.denied(Denial.UNAUTHENTICATED,
      "this needs an API key: send Authorization: Bearer <token>");

  private AccessPolicy() {}

  /**
   * May {@code principal} run {@code kind}? {@code source} is the account units would leave, loaded by the
   * caller for SOURCE_ACCOUNT mutations (null when no such account exists, or for other kinds, where it is ignored).
   */
  public static Access mutation(MutationKind kind, Principal principal, AccountFacts source) {
    if (!principal.authenticated()) {
      return NO_CREDENTIALS;
    }
    if (kind.scope() == MutationScope.REGISTRY) {
      return principal.role() == Role.REGISTRY_ADMIN ? Access.ALLOWED
          : forbidden(kind.field() + " is for REGISTRY_ADMIN keys, not " + principal.role());
    }
    return fromSourceAccount(kind, principal, source);
  }

  /**
   * May {@code principal} cancel units of {@code source} for {@code reason}? An INVALIDATION is the registry's own
   * act, so only a REGISTRY_ADMIN invalidates, in any account (a holder's too, which it may have suspended
   * first); other reasons follow {@link #mutation}.
   */
  public static Access cancellation(Principal principal, AccountFacts source, CancellationReason reason) {
    if (reason != CancellationReason.INVALIDATION || !principal.authenticated()) {
      return mutation(MutationKind.CANCEL_UNITS, principal, source);
    }
    if (principal.role() != Role.REGISTRY_ADMIN) {
      return forbidden("an INVALIDATION is for REGISTRY_ADMIN keys, not " + principal.role());
    }
    return source == null ? forbidden("cancelUnits needs an existing source account") : Access.ALLOWED;
  }

  private static Access fromSourceAccount(MutationKind kind, Principal principal, AccountFacts source) {
    if (source == null) {
      // Nothing to own yet; allowing it would let an account opened before the command runs decide afterwards.
      return forbidden(kind.field() + " needs an existing source account that this key may operate");
    }
    return switch (principal.role()) {
      case ACCOUNT_HOLDER -> principal.holderId().equals(source.holderId()) ? Access.ALLOWED
          : forbidden("account " + source.accountId() + " is not an account of holder " + principal.holderId());
      case REGISTRY_ADMIN -> REGISTRY_OPERATED.contains(source.type()) ? Access.ALLOWED
          : forbidden("a REGISTRY_ADMIN moves units only out of ISSUANCE and BUFFER accounts; " + source.accountId()
              + " is a " + source.type() + " account, operated by its holder");
      case AUDITOR, PUBLIC -> forbidden(principal.role() + " keys change nothing");
    };
  }

  /**
   * May {@code principal} see {@code kind}? {@code ownerHolderId} is the holder owning what is read, for OWNER
   * reads (null when there is no such object; only the operators then learn that).
   */
  public static Access read(ReadKind kind, Principal principal, String ownerHolderId) {
    return switch (kind.visibility()) {
      case PUBLIC -> Access.ALLOWED;
      case OWNER -> privateRead(principal, ownerHolderId);
      case OPERATORS -> !principal.authenticated() ? NO_CREDENTIALS
          : principal.role() == Role.REGISTRY_ADMIN || principal.role() == Role.AUDITOR ? Access.ALLOWED
          : forbidden(kind + " are for REGISTRY_ADMIN and AUDITOR keys");
    };
  }

  /** May {@code principal} see the private details of something holder {@code ownerHolderId} owns? */
  public static Access privateRead(Principal principal, String ownerHolderId) {
    return switch (principal.role()) {
      case PUBLIC -> NO_CREDENTIALS;
      case REGISTRY_ADMIN, AUDITOR -> Access.ALLOWED;
      case ACCOUNT_HOLDER -> principal.holderId().equals(ownerHolderId) ? Access.ALLOWED
          : forbidden("this belongs to another holder than " + principal.holderId());
    };
  }

  /** Public reads are allowed to everyone; this exists so every resolver asks the policy the same way. */
  public static Access publicRead(Principal principal) {
    return Access.ALLOWED;
  }

  private static Access forbidden(String message) {
    return Access.denied(Denial.FORBIDDEN, message);
  }
}
