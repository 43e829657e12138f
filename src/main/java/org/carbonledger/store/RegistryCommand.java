package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockView;
import org.carbonledger.registry.Cancel;
import org.carbonledger.registry.CancelSnapshot;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.RegistryState;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.RetireSnapshot;
import org.carbonledger.registry.Rules;
import org.carbonledger.registry.Transfer;
import org.carbonledger.registry.TransferSnapshot;

/**
 * RegistryCommand puts a registry command on the log: its snapshot is taken from the writer's registry (the log
 * replayed, see {@link WriterRegistry}), the pure rules decide, and an accepted command's entry is projected
 * into the registry's tables. A rejection carries the rule's {@code RejectCode} name.
 */
public final class RegistryCommand implements LedgerCommand {

  private final Command command;
  private final String principalId;
  /** The blocks of the snapshot, for the projection of the entry decided from it (the current blocks). */
  private List<Block> snapshotBlocks = List.of();

  /** A command nobody in particular asked for (tests, the demo's in-process tools): no principal recorded. */
  public RegistryCommand(Command command) {
    this(command, null);
  }

  /** A command asked for by the API key {@code principalId}, which its entry records. */
  public RegistryCommand(Command command, String principalId) {
    this.command = command;
    this.principalId = principalId;
  }

  @Override
  public String type() {
    return command.kind().entryType();
  }

  @Override
  public Future<Map<String, Object>> decide(SqlConnection transaction, RegistryState registry, Instant time) {
    Decision decision = decision(registry, LocalDate.ofInstant(time, ZoneOffset.UTC));
    if (decision instanceof Decision.Rejected rejected) {
      return Future.failedFuture(new CommandRejectedException(rejected.code().name(), rejected.message()));
    }
    Decision.Accepted accepted = (Decision.Accepted) decision;
    if (!accepted.entryType().equals(type())) {
      return Future.failedFuture(new IllegalStateException("rules accepted " + command.kind() + " as " + accepted.entryType()));
    }
    if (principalId == null) {
      return Future.succeededFuture(accepted.data());
    }
    Map<String, Object> data = new java.util.LinkedHashMap<>(accepted.data());
    data.put(EntryTypes.PRINCIPAL, principalId);
    return Future.succeededFuture(data);
  }

  private Decision decision(RegistryState registry, LocalDate today) {
    if (command instanceof Transfer c) {
      TransferSnapshot snapshot = registry.snapshotFor(c);
      return Rules.decide(c, remember(snapshot, snapshot.candidates()));
    } else if (command instanceof Retire c) {
      RetireSnapshot snapshot = registry.snapshotFor(c);
      return Rules.decide(c, remember(snapshot, snapshot.candidates()));
    } else if (command instanceof Cancel c) {
      CancelSnapshot snapshot = registry.snapshotFor(c);
      return Rules.decide(c, remember(snapshot, snapshot.candidates()));
    }
    return registry.decide(command, today);
  }

  /** Keeps the snapshot's blocks (the current ones), for the projection of the entry decided from it; returns the snapshot. */
  private <T> T remember(T snapshot, List<BlockView> candidates) {
    snapshotBlocks = candidates.stream().map(BlockView::block).toList();
    return snapshot;
  }

  @Override
  public Future<Void> project(SqlConnection transaction, ProjectionBatch batch, long seq, Map<String, Object> data) {
    return RegistryProjector.apply(transaction, seq, type(), data, snapshotBlocks, batch);
  }
}
