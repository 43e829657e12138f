package org.carbonledger.api;

import org.carbonledger.registry.RejectCode;

/**
 * RejectCodeSchema writes the GraphQL enum of the registry's reject codes. The enum lives in
 * {@code schema/reject-codes.graphqls}; a test checks that file equals {@link #sdl()}, so the API's codes
 * are always exactly the rules' codes.
 */
final class RejectCodeSchema {

  private RejectCodeSchema() {}

  static String sdl() {
    StringBuilder sdl = new StringBuilder()
        .append("# Generated from org.carbonledger.registry.RejectCode by RejectCodeSchema.sdl(); a test keeps it equal.\n\n")
        .append("\"Why a command was rejected: the registry's stable reject codes (docs/REJECT-CODES.md).\"\n")
        .append("enum RejectCode {\n");
    for (RejectCode code : RejectCode.values()) {
      sdl.append("  \"").append(code.number()).append(": ").append(code.doc().replace("\"", "'")).append("\"\n")
          .append("  ").append(code.name()).append('\n');
    }
    return sdl.append("}\n").toString();
  }

  /** Regenerates the file: {@code java -cp target/classes org.carbonledger.api.RejectCodeSchema > schema/reject-codes.graphqls}. */
  public static void main(String[] args) {
    System.out.print(sdl());
  }
}
