package org.carbonledger.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * RegistryRows are the rows the registry's projections answer with. Field names follow the GraphQL
 * schema, so resolvers return them as they are.
 */
public final class RegistryRows {

  private RegistryRows() {}

  /** A period of days, both ends included. */
  public record Period(LocalDate start, LocalDate end) {}

  /** An account holder. */
  public record HolderRow(String holderId, String name, String country) {}

  /**
   * An account, with the number of active units it holds as kept in account_balances: null only when that row
   * is missing, which no log can produce (every account gets its row when it opens).
   */
  public record AccountRow(String accountId, String holderId, String name, String type, String program, String status,
                           long openedSeq, Long activeUnits) {}

  /** A project's registration in another program. */
  public record OtherRegistrationRow(String program, String projectId, Period period, boolean cancelled) {}

  /** A project. */
  public record ProjectRow(String projectId, String program, String programProjectId, String name, String hostCountry,
                           String methodology, String category, String mitigationType, Period creditingPeriod,
                           LocalDate activityStart, String tseMarketClass) {}

  /** A letter of authorisation and how much was issued under it. */
  public record AuthorisationRow(String authorisationId, String hostCountry, String loaReference, LocalDate loaDate,
                                 String purpose, String firstTransferDefinition, long authorisedQuantity,
                                 long issuedQuantity, int vintageFrom, int vintageTo,
                                 boolean correspondingAdjustmentAttested, List<String> projectIds) {}

  /** An issuance with its units' current totals per state. */
  public record IssuanceRow(String issuanceId, String projectId, String accountId, Period monitoringPeriod, int vintage,
                            long quantity, long serialStart, long serialEnd, String unitType, List<String> labels,
                            String authorisationId, String correspondingAdjustment,
                            String correspondingAdjustmentReference, String firstTransfer, long issuedSeq,
                            long activeQuantity, long retiredQuantity, long cancelledQuantity) {}

  /** A block of serials. */
  public record BlockRowView(long serialStart, long serialEnd, String issuanceId, String accountId, String state,
                             long updatedSeq) {
    public long quantity() {
      return serialEnd - serialStart + 1;
    }
  }

  /** One movement of a serial range by one entry. */
  public record MovementRow(long seq, String kind, long serialStart, long serialEnd, String issuanceId,
                            String fromAccountId, String toAccountId) {}

  /** A movement with the entry that made it (null when the log lacks it). */
  public record CustodyStep(MovementRow movement, LogReader.StoredEntry entry) {}

  /** A retirement. */
  public record RetirementRow(long seq, Instant time, String accountId, long quantity, String purpose,
                              String beneficiaryName, String beneficiaryId, Period claimPeriod, Integer reportingYear,
                              Corsia corsia, String ndcCountry, String note) {}

  /** CORSIA details of a retirement. */
  public record Corsia(String operator, String operatorState, String compliancePeriod) {}

  /** Quantities of one year and dimension value. */
  public record StatisticsRow(int year, String key, long issued, long retired, long cancelled) {}

  /** The conservation check of one project vintage. */
  public record ConservationRow(String projectId, int vintage, long issued, long active, long retired, long cancelled) {
    public boolean balanced() {
      return issued == active + retired + cancelled;
    }
  }
}
