package org.carbonledger.registry;

import java.time.LocalDate;

/** RecordAuthorisation records a host country's Article 6 letter of authorisation. */
public record RecordAuthorisation(String hostCountry, String loaReference, LocalDate loaDate,
    AuthorisationPurpose purpose, FirstTransferDefinition firstTransferDefinition, long authorisedQuantity,
    int vintageFrom, int vintageTo) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.RECORD_AUTHORISATION;
  }
}
