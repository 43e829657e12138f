package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.carbonledger.api.ClientSlots.Taken;
import org.junit.jupiter.api.Test;

/**
 * ClientSlots admits by client first, then by server, and a refusal takes nothing: the server's limit (503 for
 * WebSocket upgrades and feeds) is otherwise reached only with a thousand connections.
 */
class ClientSlotsTest {

  @Test
  void aClientIsHeldToItsShareAndTheServerToItsTotal() {
    ClientSlots slots = new ClientSlots(2, 3);
    assertEquals(List.of(Taken.YES, Taken.YES, Taken.CLIENT_FULL),
        List.of(slots.take("10.0.0.1"), slots.take("10.0.0.1"), slots.take("10.0.0.1")));
    assertEquals(Taken.YES, slots.take("10.0.0.2"));
    // The server is full; the refusal neither holds a slot nor counts against the client.
    assertEquals(Taken.SERVER_FULL, slots.take("10.0.0.2"));
    assertEquals(Taken.SERVER_FULL, slots.take("10.0.0.3"));
    slots.release("10.0.0.1");
    assertEquals(Taken.YES, slots.take("10.0.0.2"), "the released slot serves another client");
    assertEquals(Taken.CLIENT_FULL, slots.take("10.0.0.2"), "10.0.0.2 holds two, its share, and was charged nothing when refused");
    slots.release("10.0.0.2");
    slots.release("10.0.0.2");
    assertEquals(List.of(Taken.YES, Taken.YES), List.of(slots.take("10.0.0.3"), slots.take("10.0.0.3")));
  }

  @Test
  void manySlotsAreTakenAtOnceOrNoneAndGivenBackAsMany() {
    ClientSlots bytes = new ClientSlots(100, 150);
    assertEquals(Taken.YES, bytes.take("10.0.0.1", 60));
    assertEquals(Taken.CLIENT_FULL, bytes.take("10.0.0.1", 41));
    assertEquals(Taken.YES, bytes.take("10.0.0.1", 40));
    assertEquals(Taken.SERVER_FULL, bytes.take("10.0.0.2", 51));
    assertEquals(Taken.YES, bytes.take("10.0.0.2", 50), "the refusals took nothing");
    bytes.release("10.0.0.1", 60);
    assertEquals(Taken.YES, bytes.take("10.0.0.2", 50));
    assertEquals(Taken.CLIENT_FULL, bytes.take("10.0.0.2", 1), "10.0.0.2 holds its 100");
    assertEquals(Taken.YES, bytes.take("10.0.0.3", 10));
    assertThrows(IllegalArgumentException.class, () -> bytes.take("10.0.0.3", 0));
  }

  @Test
  void eachMustAllowASlot() {
    assertThrows(IllegalArgumentException.class, () -> new ClientSlots(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new ClientSlots(1, 0));
  }
}
