package org.carbonledger.store;

import static org.carbonledger.store.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.carbonledger.ledger.EntryCodec;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.OpenAccount;
import org.carbonledger.registry.RegistryState;
import org.junit.jupiter.api.Test;

/** PrincipalRecordingTest: an entry names the key that asked for it, and replays still accept the entry. */
class PrincipalRecordingTest {

  @Test
  void theEntryNamesItsPrincipalAndStillReplays() {
    try (TestLedger log = TestLedger.open()) {
      OpenAccount open = new OpenAccount(null, "Alice", "JP", "alice", AccountType.HOLDING, null);
      Map<String, Object> data = EntryCodec.decode(await(log.ledger.writer().append(new RegistryCommand(open, "K0123456789abcdef")))
          .entryBytes()).data();
      assertEquals("K0123456789abcdef", data.get("principal"));
      RegistryState replay = new RegistryState();
      replay.apply("ACCOUNT_OPENED", data);
      assertEquals(1, replay.accounts().size());
      Map<String, Object> anonymous = EntryCodec.decode(await(log.ledger.writer().append(new RegistryCommand(
          new OpenAccount(null, "Bob", "JP", "bob", AccountType.HOLDING, null)))).entryBytes()).data();
      assertFalse(anonymous.containsKey("principal"));
    }
  }
}
