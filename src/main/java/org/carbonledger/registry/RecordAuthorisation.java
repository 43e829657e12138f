package org.carbonledger.registry;

import java.time.LocalDate;

/**
 * RecordAuthorisation records a host country's Article 6 letter of authorisation; {@code correspondingAdjustmentAttested}
 * when the letter attests that the host will apply the corresponding adjustment ({@link Authorisation}).
 */
public record RecordAuthorisation(String hostCountry, String loaReference, LocalDate loaDate,
    AuthorisationPurpose purpose, FirstTransferDefinition firstTransferDefinition, long authorisedQuantity,
    int vintageFrom, int vintageTo, boolean correspondingAdjustmentAttested) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.RECORD_AUTHORISATION;
  }
}
