package org.carbonledger.api;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.carbonledger.registry.BlockState;
import org.carbonledger.registry.CompliancePeriod;
import org.carbonledger.registry.CorsiaEligibility;
import org.carbonledger.registry.Limits;
import org.carbonledger.registry.RejectCode;
import org.carbonledger.registry.SerialNumber;
import org.carbonledger.registry.SerialNumbers;
import org.carbonledger.store.RegistryReader;
import org.carbonledger.store.RegistryRows.BlockRowView;
import org.carbonledger.store.RegistryRows.CustodyStep;
import org.carbonledger.store.RegistryRows.MovementRow;
import org.carbonledger.store.IssuanceContexts;

/**
 * SerialResolvers answer questions about one serial number: which block holds it, its chain of custody with a
 * receipt per step, and its CORSIA eligibility. A serial is a bare integer or a human-readable serial number
 * (docs/REGISTRY.md); the parts of the latter must name the block's issuance.
 */
final class SerialResolvers {

  /**
   * Most steps a chain of custody answers. A unit passed back and forth has no bound of its own, and the cost check
   * must know how long a chain can be: FieldCosts counts {@code steps} as this many. A longer chain is refused
   * (CUSTODY_TOO_LONG) rather than cut short, since a chain of custody with steps missing would mislead.
   */
  static final int CUSTODY_STEPS_MAX = 1_000;
  /**
   * Most steps a chain of custody answers with receipts, each an inclusion proof read from the database: a unit
   * passed back and forth could otherwise make one request read a thousand.
   */
  static final int CUSTODY_RECEIPTS_MAX = 200;
  static final String CUSTODY_TOO_LONG = "CUSTODY_TOO_LONG";

  private static final Pattern BARE_SERIAL = Pattern.compile("[1-9][0-9]{0,15}");

  private final RegistryReader registry;
  private final IssuanceContexts domain;
  private final LedgerResolvers ledger;

  SerialResolvers(RegistryReader registry, IssuanceContexts domain, LedgerResolvers ledger) {
    this.registry = registry;
    this.domain = domain;
    this.ledger = ledger;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", query -> query
        .dataFetcher("resolveSerial", LedgerResolvers.async(environment -> resolve(environment.getArgument("serial"))
            .map(resolved -> Map.of("serialStart", resolved.start(), "serialEnd", resolved.end(), "block", resolved.block()))))
        .dataFetcher("chainOfCustody", LedgerResolvers.async(this::chainOfCustody))
        .dataFetcher("corsiaEligibility", LedgerResolvers.async(this::corsiaEligibility)));
  }

  /** Resolved is a serial range and the block that holds all of it. */
  private record Resolved(long start, long end, BlockRowView block) {}

  private Future<Resolved> resolve(String text) {
    Optional<SerialNumber> parsed = Optional.empty();
    long start;
    long end;
    if (text != null && BARE_SERIAL.matcher(text).matches() && Long.parseLong(text) <= Limits.SERIAL_MAX) {
      start = Long.parseLong(text);
      end = start;
    } else {
      parsed = SerialNumbers.parse(text);
      if (parsed.isEmpty()) {
        throw new ApiException(RejectCode.SERIAL_NUMBER_MALFORMED.name(), "not a serial number: " + text);
      }
      start = parsed.get().start();
      end = parsed.get().end();
    }
    Optional<SerialNumber> named = parsed;
    return registry.blockContaining(start).compose(found -> {
      BlockRowView block = found.orElseThrow(() -> new ApiException(RejectCode.SERIAL_NOT_ISSUED.name(), "serial " + start + " is not issued"));
      if (block.serialEnd() < end) {
        throw new ApiException(RejectCode.SERIAL_RANGE_SPANS_BLOCKS.name(),
            "serials " + start + ".." + end + " cross the block ending at " + block.serialEnd());
      }
      if (named.isEmpty()) {
        return Future.succeededFuture(new Resolved(start, end, block));
      }
      return domain.issuanceContext(block.issuanceId()).map(context -> {
        if (!named.get().names(context.orElseThrow().issuance(), context.get().project())) {
          throw new ApiException(RejectCode.SERIAL_NUMBER_DOES_NOT_MATCH.name(),
              "the serial number does not name issuance " + block.issuanceId());
        }
        return new Resolved(start, end, block);
      });
    });
  }

  private Future<Map<String, Object>> chainOfCustody(DataFetchingEnvironment environment) {
    // Entries and, above all, receipts (inclusion proofs) cost reads: only made when selected.
    boolean withEntry = environment.getSelectionSet().contains("steps/entry");
    boolean withReceipt = environment.getSelectionSet().contains("steps/receipt");
    // One step more than answered, to tell a chain that is too long from one that is just long enough.
    return resolve(environment.getArgument("serial")).compose(resolved -> registry.custodyOf(resolved.start(),
        resolved.block().issuanceId(), withEntry, CUSTODY_STEPS_MAX + 1).compose(custody -> {
      if (custody.size() > CUSTODY_STEPS_MAX) {
        throw new ApiException(CUSTODY_TOO_LONG, "serial " + resolved.start() + " has more than " + CUSTODY_STEPS_MAX
            + " steps, the most a chain of custody answers with; its whole history is in the log (entries, /log, or the"
            + " feeds of the accounts that held it)");
      }
      if (withReceipt && custody.size() > CUSTODY_RECEIPTS_MAX) {
        throw new ApiException(CUSTODY_TOO_LONG, "serial " + resolved.start() + " has " + custody.size()
            + " steps; receipts come with at most " + CUSTODY_RECEIPTS_MAX + ": ask for the steps without receipts, "
            + "then receipt(seq:) for those you need");
      }
      List<Future<Map<String, Object>>> steps = new ArrayList<>();
      for (CustodyStep custodyStep : custody) {
        MovementRow movement = custodyStep.movement();
        Future<Object> receipt = withReceipt ? ledger.receipt(movement.seq()).map(Object.class::cast) : Future.succeededFuture();
        steps.add(receipt.map(proof -> {
          Map<String, Object> step = new LinkedHashMap<>();
          step.put("kind", movement.kind());
          step.put("fromAccountId", movement.fromAccountId());
          step.put("toAccountId", movement.toAccountId());
          step.put("serialRange", Map.of("start", movement.serialStart(), "end", movement.serialEnd()));
          if (withEntry) {
            if (custodyStep.entry() == null) {
              throw new IllegalStateException("movement of entry " + movement.seq() + " has no entry in the log");
            }
            step.put("entry", LedgerResolvers.entry(custodyStep.entry()));
          }
          if (withReceipt) {
            step.put("receipt", proof);
          }
          return step;
        }));
      }
      return Future.all(steps).map(all -> Map.of("serial", resolved.start(), "block", resolved.block(), "steps", all.list()));
    }));
  }

  private Future<Map<String, Object>> corsiaEligibility(DataFetchingEnvironment environment) {
    CompliancePeriod period = CompliancePeriod.valueOf(environment.getArgument("compliancePeriod"));
    return resolve(environment.getArgument("serial")).compose(resolved -> domain.issuanceContext(resolved.block().issuanceId())
        .map(context -> {
          List<String> reasons = CorsiaEligibility.reasons(period, BlockState.valueOf(resolved.block().state()),
              context.orElseThrow().issuance(), context.get().project(), context.get().authorisation());
          return Map.of("compliancePeriod", period.name(), "eligible", reasons.isEmpty(), "reasons", reasons,
              "block", resolved.block());
        }));
  }
}
