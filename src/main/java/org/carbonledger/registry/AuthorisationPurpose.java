package org.carbonledger.registry;

/**
 * AuthorisationPurpose is what a Paris Agreement Article 6 letter of authorisation allows: use towards another
 * country's NDC, for other international mitigation purposes (OIMP, e.g. CORSIA), or both.
 */
public enum AuthorisationPurpose {
  NDC,
  OIMP,
  NDC_AND_OIMP;

  /** True if units under this purpose may count towards another country's NDC. */
  public boolean coversNdc() {
    return this == NDC || this == NDC_AND_OIMP;
  }

  /** True if units under this purpose may be used for OIMP such as CORSIA. */
  public boolean coversOimp() {
    return this == OIMP || this == NDC_AND_OIMP;
  }
}
