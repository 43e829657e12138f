package org.carbonledger.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Map;
import org.carbonledger.registry.Block;
import org.carbonledger.registry.BlockView;
import org.carbonledger.registry.ApplyCorrespondingAdjustment;
import org.carbonledger.registry.Cancel;
import org.carbonledger.registry.ChangeAccountStatus;
import org.carbonledger.registry.Command;
import org.carbonledger.registry.Decision;
import org.carbonledger.registry.EntryTypes;
import org.carbonledger.registry.Issue;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.RecordAuthorisation;
import org.carbonledger.registry.RegisterProject;
import org.carbonledger.registry.Retire;
import org.carbonledger.registry.Rules;
import org.carbonledger.registry.Transfer;

/**
 * RegistryCommand puts a registry command on the log: the store loads the command's snapshot, the pure rules
 * decide, and an accepted command's entry is projected into the registry's tables. A rejection carries the
 * rule's {@code RejectCode} name.
 */
public final class RegistryCommand implements LedgerCommand {

  private final Command command;
  private final String principalId;
  /** The blocks the snapshot read, for the projection of the entry decided from it (read in the same transaction). */
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
  public Future<Map<String, Object>> decide(SqlConnection transaction) {
    return decision(new SnapshotLoader(transaction)).compose(decision -> {
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
    });
  }

  private Future<Decision> decision(SnapshotLoader load) {
    if (command instanceof OpenAccount c) {
      return load.openAccount(c).map(snapshot -> Rules.decide(c, snapshot));
    } else if (command instanceof ChangeAccountStatus c) {
      return load.changeAccountStatus(c).map(snapshot -> Rules.decide(c, snapshot));
    } else if (command instanceof RegisterProject c) {
      return load.registerProject(c).map(snapshot -> Rules.decide(c, snapshot));
    } else if (command instanceof RecordAuthorisation c) {
      return load.recordAuthorisation(c).map(snapshot -> Rules.decide(c, snapshot));
    } else if (command instanceof Issue c) {
      return load.issue(c).map(snapshot -> Rules.decide(c, snapshot));
    } else if (command instanceof Transfer c) {
      return load.transfer(c).map(snapshot -> Rules.decide(c, remember(snapshot, snapshot.candidates())));
    } else if (command instanceof Retire c) {
      return load.retire(c).map(snapshot -> Rules.decide(c, remember(snapshot, snapshot.candidates())));
    } else if (command instanceof Cancel c) {
      return load.cancel(c).map(snapshot -> Rules.decide(c, remember(snapshot, snapshot.candidates())));
    } else if (command instanceof ApplyCorrespondingAdjustment c) {
      return load.applyCorrespondingAdjustment(c).map(snapshot -> Rules.decide(c, snapshot));
    }
    throw new IllegalStateException("no snapshot for " + command.kind());
  }

  /** Keeps the blocks a snapshot read, so the projection need not read them again; returns the snapshot. */
  private <T> T remember(T snapshot, List<BlockView> candidates) {
    snapshotBlocks = candidates.stream().map(BlockView::block).toList();
    return snapshot;
  }

  @Override
  public Future<Void> project(SqlConnection transaction, long seq, Map<String, Object> data) {
    return RegistryProjector.apply(transaction, seq, type(), data, snapshotBlocks);
  }
}
