package org.carbonledger.registry;

/**
 * Cancel removes units from circulation without a claim, finally. An EXPORT names the target registry and its
 * reference; {@code targetRegistry} is for exports only.
 */
public record Cancel(String accountId, UnitSelection selection, CancellationReason reason, String targetRegistry,
    String externalReference, String note) implements Command {

  @Override
  public CommandKind kind() {
    return CommandKind.CANCEL;
  }
}
