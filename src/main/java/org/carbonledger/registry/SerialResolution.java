package org.carbonledger.registry;

/**
 * SerialResolution is the answer to "which block is this serial?": the block holding the range, with its
 * issuance and project, or the first rule of {@link Precedence#RESOLVE_SERIAL_NUMBER} the text breaks.
 */
public record SerialResolution(Decision.Rejected rejection, SerialRange range, Block block, Issuance issuance,
    Project project) {

  static SerialResolution refused(RejectCode code, String message) {
    return new SerialResolution(new Decision.Rejected(code, message), null, null, null, null);
  }

  /** True if the text resolved to a block. */
  public boolean isResolved() {
    return rejection == null;
  }
}
