package org.carbonledger.registry;

import java.util.List;

/**
 * RejectCodeTable renders docs/REJECT-CODES.md from {@link RejectCode} and {@link Precedence}, so the page is
 * never edited by hand and never drifts: RejectCodeTableTest compares the file with {@link #markdown()}.
 */
public final class RejectCodeTable {

  private RejectCodeTable() {}

  /** The whole page. */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Reject codes\n\n")
        .append("<!-- Generated from RejectCode and Precedence by RejectCodeTable.markdown(); do not edit. ")
        .append("RejectCodeTableTest fails when this page differs, and writes the expected page to ")
        .append("target/REJECT-CODES.md (run it with -Dregistry.regenerate=true to rewrite this file). -->\n\n")
        .append("A command that breaks a rule is rejected with the rule's code and writes nothing. The code is ")
        .append("the contract; the message is for people. Numbers are stable and never reused; families: 1xx ")
        .append("input, 2xx accounts, 3xx projects, 4xx authorisations and corresponding adjustments, 5xx ")
        .append("issuance, 6xx holdings and movement, 7xx use and claims. A transient code may clear when other ")
        .append("commands change the state, so the same input can be retried later; the others need another ")
        .append("input.\n\n")
        .append("## Codes\n\n")
        .append("| number | code | meaning | concept | transient |\n")
        .append("| --- | --- | --- | --- | --- |\n");
    for (RejectCode code : RejectCode.values()) {
      out.append("| ").append(code.number())
          .append(" | `").append(code.name()).append('`')
          .append(" | ").append(cell(code.doc()))
          .append(" | ").append(cell(code.concept()))
          .append(" | ").append(code.isTransient() ? "yes" : "no")
          .append(" |\n");
    }
    out.append("\n## Precedence per command\n\n")
        .append("Each command checks its rules in this order and reports the first that fails. Input checks ")
        .append("come first (a check runs over every field before the next kind of check), then the objects ")
        .append("named, then the state rules.\n");
    for (CommandKind kind : CommandKind.values()) {
      out.append("\n### ").append(kind.title()).append(" (`").append(kind.entryType()).append("`)\n\n");
      steps(out, Precedence.of(kind));
    }
    out.append("\n### Idempotency key (every mutation, before its command's rules)\n\n");
    steps(out, Precedence.IDEMPOTENCY_KEY);
    out.append("\n### Entry size (every accepted command, after its rules)\n\n");
    steps(out, Precedence.ENTRY);
    out.append("\n### Resolve a serial number (query, writes nothing)\n\n");
    steps(out, Precedence.RESOLVE_SERIAL_NUMBER);
    return out.toString();
  }

  private static void steps(StringBuilder out, List<Precedence.Step> steps) {
    for (int i = 0; i < steps.size(); i++) {
      Precedence.Step step = steps.get(i);
      out.append(i + 1).append(". `").append(step.code().name()).append("` (").append(step.code().number())
          .append("): ").append(step.rule()).append(".\n");
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
