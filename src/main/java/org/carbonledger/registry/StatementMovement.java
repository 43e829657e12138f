package org.carbonledger.registry;

import java.time.Instant;
import java.util.List;
import org.carbonledger.ledger.Check;

/**
 * StatementMovement is one entry as an account statement shows it: what the entry did to one account's active
 * balance. An entry that moves several serial ranges is one movement; {@code quantity} is the signed change to
 * the account's active units (positive in, negative out), and {@code reference} is the transfer's reference.
 */
public record StatementMovement(long seq, Instant time, Kind kind, String counterpartAccountId, long quantity,
                                List<SerialRange> serialRanges, String reference, byte[] leafHash) {

  /** Kind is how the entry touched the account. */
  public enum Kind {
    /** Units issued into the account (its program's issuance account). */
    ISSUED,
    /** Units transferred into the account from the counterpart. */
    TRANSFERRED_IN,
    /** Units transferred out of the account to the counterpart. */
    TRANSFERRED_OUT,
    /** Units of the account retired: they stay in the account but are no longer active. */
    RETIRED,
    /** Units of the account cancelled: they stay in the account but are no longer active. */
    CANCELLED;

    /** The kind of a {@code movements} row ({@code ISSUED}, {@code TRANSFERRED}, ...) seen from the account; incoming is for transfers. */
    public static Kind of(String movementKind, boolean incoming) {
      return switch (movementKind) {
        case "ISSUED" -> ISSUED;
        case "TRANSFERRED" -> incoming ? TRANSFERRED_IN : TRANSFERRED_OUT;
        case "RETIRED" -> RETIRED;
        case "CANCELLED" -> CANCELLED;
        default -> throw new IllegalArgumentException("not a movement kind: " + movementKind);
      };
    }

    /** +1 when units of this kind become active in the account, -1 when they stop being active there. */
    public int sign() {
      return this == ISSUED || this == TRANSFERRED_IN ? 1 : -1;
    }
  }

  public StatementMovement {
    serialRanges = List.copyOf(serialRanges);
    Check.argument(!serialRanges.isEmpty(), "a movement moves at least one serial range");
    long units = 0;
    for (SerialRange range : serialRanges) {
      Check.argument(range.isWellFormed(), "malformed serial range " + range);
      units = Math.addExact(units, range.size());
    }
    Check.argument(quantity == kind.sign() * units, "quantity " + quantity + " is not " + kind + " of " + units + " units");
    Check.argument((counterpartAccountId != null) == (kind == Kind.TRANSFERRED_IN || kind == Kind.TRANSFERRED_OUT),
        "exactly transfers have a counterpart");
  }

  /** The balance after applying {@code movements} to {@code opening}, in order; overflow is an ArithmeticException. */
  public static long apply(long opening, List<StatementMovement> movements) {
    long balance = opening;
    for (StatementMovement movement : movements) {
      balance = Math.addExact(balance, movement.quantity());
    }
    return balance;
  }
}
