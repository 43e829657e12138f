package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.carbonledger.api.AccessPolicy.Access;
import org.carbonledger.api.AccessPolicy.AccountFacts;
import org.carbonledger.api.AccessPolicy.MutationKind;
import org.carbonledger.api.AccessPolicy.ReadKind;
import org.carbonledger.registry.AccountType;
import org.carbonledger.registry.CancellationReason;
import org.carbonledger.registry.Ids;
import org.carbonledger.store.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * AccessPolicyTest pins the access policy as tables: every mutation kind against every role (and an
 * ACCOUNT_HOLDER of another holder) and every kind of source account, then every read kind, each cell the
 * expected outcome. The tables are written out here rather than derived from the policy's own classification,
 * so a change of policy must change a line of this test. Also: principals are well formed, and roles, stored
 * roles and the schema's mutations agree with the policy.
 */
class AccessPolicyTest {

  private static final String HOLDER = Ids.format(Ids.Kind.HOLDER, 1);
  private static final String OTHER_HOLDER = Ids.format(Ids.Kind.HOLDER, 2);

  private static final Principal ADMIN = new Principal("K00000000000000a1", Role.REGISTRY_ADMIN, null);
  private static final Principal AUDITOR = new Principal("K00000000000000a2", Role.AUDITOR, null);
  private static final Principal OWNER = new Principal("K00000000000000a3", Role.ACCOUNT_HOLDER, HOLDER);
  private static final Principal OTHER = new Principal("K00000000000000a4", Role.ACCOUNT_HOLDER, OTHER_HOLDER);
  /** The columns of every table below, in this order. */
  private static final List<Principal> PRINCIPALS = List.of(Principal.PUBLIC, ADMIN, AUDITOR, OWNER, OTHER);

  private static final String OK = "ALLOWED";
  private static final String UNAUTH = "UNAUTHENTICATED";
  private static final String NO = "FORBIDDEN";

  /** The mutations only a REGISTRY_ADMIN may run, whatever account they name. */
  private static final Set<MutationKind> ADMIN_ONLY = EnumSet.of(MutationKind.OPEN_ACCOUNT, MutationKind.SUSPEND_ACCOUNT,
      MutationKind.REACTIVATE_ACCOUNT, MutationKind.CLOSE_ACCOUNT, MutationKind.REGISTER_PROJECT,
      MutationKind.RECORD_AUTHORISATION, MutationKind.ISSUE_UNITS, MutationKind.APPLY_CORRESPONDING_ADJUSTMENT,
      MutationKind.CREATE_API_KEY, MutationKind.REVOKE_API_KEY);
  /** The mutations that take units out of a source account. */
  private static final Set<MutationKind> FROM_SOURCE = EnumSet.of(MutationKind.TRANSFER_UNITS, MutationKind.RETIRE_UNITS,
      MutationKind.CANCEL_UNITS, MutationKind.SETTLE_TRANSFERS);

  private record Row(String name, AccountFacts source, String... expected) {}

  private static AccountFacts account(AccountType type, String holderId) {
    return new AccountFacts(Ids.format(Ids.Kind.ACCOUNT, 7), holderId, type);
  }

  /** Columns: PUBLIC, REGISTRY_ADMIN, AUDITOR, ACCOUNT_HOLDER of H1, ACCOUNT_HOLDER of H2. */
  private static final List<Row> ADMIN_ONLY_ROWS = List.of(
      new Row("naming a holder's account", account(AccountType.HOLDING, HOLDER), UNAUTH, OK, NO, NO, NO),
      new Row("naming no account", null, UNAUTH, OK, NO, NO, NO));

  private static final List<Row> FROM_SOURCE_ROWS = List.of(
      new Row("from a HOLDING account of H1", account(AccountType.HOLDING, HOLDER), UNAUTH, NO, NO, OK, NO),
      new Row("from a RETIREMENT account of H1", account(AccountType.RETIREMENT, HOLDER), UNAUTH, NO, NO, OK, NO),
      new Row("from a CANCELLATION account of H1", account(AccountType.CANCELLATION, HOLDER), UNAUTH, NO, NO, OK, NO),
      new Row("from an ISSUANCE account of H1", account(AccountType.ISSUANCE, HOLDER), UNAUTH, OK, NO, OK, NO),
      new Row("from a BUFFER account of H2", account(AccountType.BUFFER, OTHER_HOLDER), UNAUTH, OK, NO, NO, OK),
      new Row("from an account that does not exist", null, UNAUTH, NO, NO, NO, NO));

  private static String outcome(Access access) {
    if (access.allowed()) {
      assertNull(access.message());
      return OK;
    }
    assertNotNull(access.message());
    return access.denial().name();
  }

  @Test
  void everyMutationKindForEveryPrincipal() {
    assertEquals(EnumSet.allOf(MutationKind.class), union(ADMIN_ONLY, FROM_SOURCE), "every kind is in one table");
    for (MutationKind kind : MutationKind.values()) {
      for (Row row : ADMIN_ONLY.contains(kind) ? ADMIN_ONLY_ROWS : FROM_SOURCE_ROWS) {
        for (int column = 0; column < PRINCIPALS.size(); column++) {
          Principal principal = PRINCIPALS.get(column);
          assertEquals(row.expected()[column], outcome(AccessPolicy.mutation(kind, principal, row.source())),
              kind + " " + row.name() + " by " + principal);
        }
      }
    }
  }

  /** An INVALIDATION is the registry's act: only REGISTRY_ADMIN, from any account; other reasons as cancelUnits. */
  @Test
  void cancellationsForEveryReasonAndPrincipal() {
    List<Row> invalidation = List.of(
        new Row("from a HOLDING account of H1", account(AccountType.HOLDING, HOLDER), UNAUTH, OK, NO, NO, NO),
        new Row("from a BUFFER account of H2", account(AccountType.BUFFER, OTHER_HOLDER), UNAUTH, OK, NO, NO, NO),
        new Row("from an account that does not exist", null, UNAUTH, NO, NO, NO, NO));
    for (CancellationReason reason : CancellationReason.values()) {
      for (Row row : reason == CancellationReason.INVALIDATION ? invalidation : FROM_SOURCE_ROWS) {
        for (int column = 0; column < PRINCIPALS.size(); column++) {
          Principal principal = PRINCIPALS.get(column);
          assertEquals(row.expected()[column], outcome(AccessPolicy.cancellation(principal, row.source(), reason)),
              reason + " " + row.name() + " by " + principal);
        }
      }
    }
  }

  @Test
  void everyReadKindForEveryPrincipal() {
    List<ReadKind> publicReads = List.of(ReadKind.LOG, ReadKind.PROJECTS, ReadKind.AUTHORISATIONS, ReadKind.ISSUANCES,
        ReadKind.RETIREMENTS, ReadKind.CANCELLATIONS, ReadKind.STATISTICS, ReadKind.CONSERVATION,
        ReadKind.CORSIA_ELIGIBILITY, ReadKind.SERIAL_RESOLUTION, ReadKind.CHAIN_OF_CUSTODY);
    List<ReadKind> ownerReads = List.of(ReadKind.ACCOUNT_HOLDER_DETAILS, ReadKind.ACCOUNT_DETAILS);
    List<ReadKind> operatorReads = List.of(ReadKind.API_KEYS);
    record ReadRow(List<ReadKind> kinds, String name, String owner, String... expected) {}
    List<ReadRow> rows = List.of(
        new ReadRow(publicReads, "of H1", HOLDER, OK, OK, OK, OK, OK),
        new ReadRow(publicReads, "of nobody", null, OK, OK, OK, OK, OK),
        new ReadRow(ownerReads, "of H1", HOLDER, UNAUTH, OK, OK, OK, NO),
        new ReadRow(ownerReads, "of nobody (not found)", null, UNAUTH, OK, OK, NO, NO),
        new ReadRow(operatorReads, "of nobody", null, UNAUTH, OK, OK, NO, NO),
        new ReadRow(operatorReads, "of H1", HOLDER, UNAUTH, OK, OK, NO, NO));
    Set<ReadKind> covered = EnumSet.noneOf(ReadKind.class);
    for (ReadRow row : rows) {
      covered.addAll(row.kinds());
      for (ReadKind kind : row.kinds()) {
        for (int column = 0; column < PRINCIPALS.size(); column++) {
          Principal principal = PRINCIPALS.get(column);
          assertEquals(row.expected()[column], outcome(AccessPolicy.read(kind, principal, row.owner())),
              kind + " " + row.name() + " by " + principal);
        }
      }
    }
    assertEquals(EnumSet.allOf(ReadKind.class), covered, "every read kind is in the table");
    for (int column = 0; column < PRINCIPALS.size(); column++) {
      Principal principal = PRINCIPALS.get(column);
      assertEquals(OK, outcome(AccessPolicy.publicRead(principal)), "public read by " + principal);
      assertEquals(outcome(AccessPolicy.read(ReadKind.ACCOUNT_DETAILS, principal, HOLDER)),
          outcome(AccessPolicy.privateRead(principal, HOLDER)), "privateRead is an OWNER read, by " + principal);
    }
  }

  @Test
  void principalsAreWellFormed() {
    record Bad(String name, String keyId, Role role, String holderId) {}
    for (Bad bad : List.of(
        new Bad("no role", "K00000000000000a1", null, null),
        new Bad("public with a key", "K00000000000000a1", Role.PUBLIC, null),
        new Bad("admin without a key", null, Role.REGISTRY_ADMIN, null),
        new Bad("malformed key id", "K1", Role.AUDITOR, null),
        new Bad("holder key without holder", "K00000000000000a1", Role.ACCOUNT_HOLDER, null),
        new Bad("auditor with holder", "K00000000000000a1", Role.AUDITOR, HOLDER),
        new Bad("public with holder", null, Role.PUBLIC, HOLDER))) {
      assertThrows(IllegalArgumentException.class, () -> new Principal(bad.keyId(), bad.role(), bad.holderId()), bad.name());
    }
    assertEquals("K00000000000000a3", OWNER.principalId(), "entries record the key id");
    assertThrows(IllegalStateException.class, Principal.PUBLIC::principalId, "the public never writes");
    assertEquals("public", Principal.PUBLIC.toString());

    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    Principal fromKey = Principal.of(new ApiKeys.ApiKey("K00000000000000b1", "ACCOUNT_HOLDER", HOLDER, "desk", now, null));
    assertEquals(new Principal("K00000000000000b1", Role.ACCOUNT_HOLDER, HOLDER), fromKey);
    assertThrows(IllegalArgumentException.class,
        () -> Principal.of(new ApiKeys.ApiKey("K00000000000000b1", "AUDITOR", null, "gone", now, now)), "a revoked key");
  }

  @Test
  void keyedRolesAreTheStoredRoles() {
    assertEquals(ApiKeys.ROLES, Arrays.stream(Role.values()).filter(Role::keyed).map(Role::name).toList());
    for (String stored : ApiKeys.ROLES) {
      assertEquals(stored, Role.ofKey(stored).orElseThrow().name());
    }
    assertTrue(Role.ofKey("PUBLIC").isEmpty(), "no key is public");
  }

  @Test
  void everyMutationOfTheSchemaHasAKind() throws Exception {
    TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
    try (Stream<Path> files = Files.list(Path.of("schema"))) {
      for (Path file : files.filter(path -> path.toString().endsWith(".graphqls")).sorted().toList()) {
        registry.merge(new SchemaParser().parse(Files.readString(file)));
      }
    }
    List<ObjectTypeDefinition> mutation = new ArrayList<>();
    registry.getType("Mutation", ObjectTypeDefinition.class).ifPresent(mutation::add);
    mutation.addAll(registry.objectTypeExtensions().getOrDefault("Mutation", List.of()));
    Set<String> fields = new TreeSet<>();
    mutation.forEach(type -> type.getFieldDefinitions().stream().map(FieldDefinition::getName).forEach(fields::add));
    List<String> unguarded = fields.stream().filter(field -> MutationKind.ofField(field).isEmpty()).toList();
    assertEquals(List.of(), unguarded, "a mutation without a MutationKind would have no access rule");
    for (MutationKind kind : MutationKind.values()) {
      // The key management mutations may not be in the schema yet; the registry's are.
      if (kind != MutationKind.CREATE_API_KEY && kind != MutationKind.REVOKE_API_KEY) {
        assertTrue(fields.contains(kind.field()), kind + " guards " + kind.field() + ", which the schema lacks");
      }
    }
  }

  private static Set<MutationKind> union(Set<MutationKind> a, Set<MutationKind> b) {
    Set<MutationKind> union = EnumSet.copyOf(a);
    union.addAll(b);
    return union;
  }
}
