package org.carbonledger.registry;

import java.util.Locale;
import java.util.Set;

/** Countries knows the assigned ISO 3166-1 alpha-2 country codes, as the JDK's Locale data lists them. */
public final class Countries {

  private static final Set<String> ASSIGNED = Set.of(Locale.getISOCountries());

  private Countries() {}

  /** True if {@code code} is two upper-case letters assigned to a country. */
  public static boolean isAssigned(String code) {
    return code != null && code.length() == 2 && ASSIGNED.contains(code);
  }
}
