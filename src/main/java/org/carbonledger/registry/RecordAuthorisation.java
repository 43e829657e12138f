package org.carbonledger.registry;

import java.time.LocalDate;
import java.util.List;

/**
 * RecordAuthorisation records a host country's Article 6 letter of authorisation; {@code correspondingAdjustmentAttested}
 * when the letter attests that the host will apply the corresponding adjustment; {@code projectIds} the projects
 * the letter authorises, null or empty for any of the host's ({@link Authorisation}).
 */
public record RecordAuthorisation(String hostCountry, String loaReference, LocalDate loaDate,
    AuthorisationPurpose purpose, FirstTransferDefinition firstTransferDefinition, long authorisedQuantity,
    int vintageFrom, int vintageTo, boolean correspondingAdjustmentAttested, List<String> projectIds) implements Command {

  /** A letter for any project of its host country. */
  public RecordAuthorisation(String hostCountry, String loaReference, LocalDate loaDate, AuthorisationPurpose purpose,
      FirstTransferDefinition firstTransferDefinition, long authorisedQuantity, int vintageFrom, int vintageTo,
      boolean correspondingAdjustmentAttested) {
    this(hostCountry, loaReference, loaDate, purpose, firstTransferDefinition, authorisedQuantity, vintageFrom, vintageTo,
        correspondingAdjustmentAttested, null);
  }

  @Override
  public CommandKind kind() {
    return CommandKind.RECORD_AUTHORISATION;
  }
}
