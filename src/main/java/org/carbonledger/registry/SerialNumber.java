package org.carbonledger.registry;

/**
 * SerialNumber is the human-readable form of a block or unit (REGISTRY.md, "Serial numbers and blocks"):
 * {@code <program>-<unitType>-<country>-<projectId>-<vintage>-<issuanceId>-<start>-<end>-<check>}. It names
 * the issuance's attributes redundantly so a reader can see what a unit is, and {@link SerialNumbers} checks them
 * against the block that holds {@code start..end}.
 */
public record SerialNumber(String program, String unitType, String country, String projectId, int vintage,
    String issuanceId, long start, long end) {

  /** The text, with its check character. */
  public String format() {
    String body = String.join("-", program, unitType, country, projectId, Integer.toString(vintage), issuanceId,
        Long.toString(start), Long.toString(end));
    return body + "-" + CheckCharacter.compute(body.replace("-", ""));
  }

  /** The serials it names. */
  public SerialRange range() {
    return new SerialRange(start, end);
  }

  /** True if every part names this issuance of this project. */
  public boolean names(Issuance issuance, Project project) {
    return program.equals(project.program()) && unitType.equals(issuance.unitType())
        && country.equals(project.hostCountry()) && projectId.equals(project.projectId())
        && vintage == issuance.vintage() && issuanceId.equals(issuance.issuanceId());
  }
}
