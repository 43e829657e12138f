package org.carbonledger.registry;

/**
 * CompliancePeriod is a CORSIA compliance period, with the years it covers and the vintages of units eligible
 * for it (REGISTRY.md, "CORSIA eligibility").
 */
public enum CompliancePeriod {
  PILOT(2021, 2023, 2016, 2020),
  FIRST_PHASE(2024, 2026, 2021, 2026),
  SECOND_PHASE(2027, 2035, 2021, 2035);

  private final int yearFirst;
  private final int yearLast;
  private final int vintageFirst;
  private final int vintageLast;

  CompliancePeriod(int yearFirst, int yearLast, int vintageFirst, int vintageLast) {
    this.yearFirst = yearFirst;
    this.yearLast = yearLast;
    this.vintageFirst = vintageFirst;
    this.vintageLast = vintageLast;
  }

  /** The first compliance year of the period. */
  public int yearFirst() {
    return yearFirst;
  }

  /** The last compliance year of the period, inclusive. */
  public int yearLast() {
    return yearLast;
  }

  /**
   * True if units for reductions over {@code monitoringPeriod} may be used in this period: every year of it is an
   * eligible vintage, so that a period reaching back before the phase's years cannot pass as its vintage.
   */
  public boolean acceptsReductionsOver(Period monitoringPeriod) {
    return monitoringPeriod.start().getYear() >= vintageFirst && monitoringPeriod.end().getYear() <= vintageLast;
  }
}
