package org.carbonledger.registry;

/**
 * Command is a request to change the registry, as a client sent it: typed, but not yet validated. Strings are raw
 * input (an id may be malformed, a name blank); a null means the client left the field out. {@link Rules} turns a
 * command and its snapshot into a {@link Decision}.
 */
public sealed interface Command permits OpenAccount, ChangeAccountStatus, RegisterProject, RecordAuthorisation,
    Issue, Transfer, Retire, Cancel, ApplyCorrespondingAdjustment {

  /** The kind of command, which names its entry type and its precedence list. */
  CommandKind kind();
}
