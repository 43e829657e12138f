package org.carbonledger.registry;

import java.util.Map;

/**
 * Decision is what the rules say about a command: accept it with the entry to write, or reject it with a code.
 */
public sealed interface Decision permits Decision.Accepted, Decision.Rejected {

  /**
   * Accepted carries the entry to append: its type and its {@code data}, in the canonical-JSON value model
   * (String, Long, Boolean, List, Map with sorted keys; absent optional members omitted), exactly as REGISTRY.md
   * lists it.
   */
  record Accepted(String entryType, Map<String, Object> data) implements Decision {}

  /** Rejected names the first rule the command breaks; nothing is written. The message is for people. */
  record Rejected(RejectCode code, String message) implements Decision {}
}
