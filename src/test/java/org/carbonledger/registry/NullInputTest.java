package org.carbonledger.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NullInputTest feeds every command with each of its fields missing (null, or a list holding a null) to a
 * populated registry: whatever a client leaves out, the rules answer with a reject code and never throw.
 */
class NullInputTest {

  private static final List<Class<? extends Command>> COMMANDS = List.of(OpenAccount.class, ChangeAccountStatus.class,
      RegisterProject.class, RecordAuthorisation.class, Issue.class, Transfer.class, Retire.class, Cancel.class,
      ApplyCorrespondingAdjustment.class);

  @Test
  void everyMissingFieldIsARejectionNotACrash() throws Exception {
    RegistryState state = Fixture.standard();
    int checked = 0;
    for (Class<? extends Command> type : COMMANDS) {
      RecordComponent[] components = type.getRecordComponents();
      Constructor<? extends Command> constructor = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      for (int missing = 0; missing < components.length; missing++) {
        for (Object hole : holes(components[missing].getType())) {
          Object[] arguments = new Object[components.length];
          for (int i = 0; i < components.length; i++) {
            arguments[i] = i == missing ? hole : defaultFor(components[i].getType());
          }
          Command command = constructor.newInstance(arguments);
          Decision decision = assertDoesNotThrow(() -> state.copy().decide(command), command.toString());
          assertInstanceOf(Decision.Rejected.class, decision, command.toString());
          checked++;
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(checked > 50);
  }

  /** The missing values a field of this type can take: null, and for lists also a list holding a null. */
  private static List<Object> holes(Class<?> type) {
    List<Object> holes = new ArrayList<>();
    if (!type.isPrimitive()) {
      holes.add(null);
    }
    if (type == List.class) {
      List<Object> withNull = new ArrayList<>();
      withNull.add(null);
      holes.add(withNull);
    }
    if (type == UnitSelection.class) {
      List<SerialRange> withNull = new ArrayList<>();
      withNull.add(null);
      holes.add(new UnitSelection.Ranges(withNull));
      holes.add(new UnitSelection.Ranges(null));
    }
    if (type.isPrimitive()) {
      holes.add(defaultFor(type));
    }
    return holes;
  }

  /** A value every field can hold that makes the rest of the command unremarkable: all-null, zero, empty. */
  private static Object defaultFor(Class<?> type) {
    if (type == long.class) {
      return 0L;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == boolean.class) {
      return false;
    }
    return null;
  }
}
