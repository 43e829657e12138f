package org.carbonledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** RejectCodeSchemaTest keeps the GraphQL RejectCode enum equal to the rules' RejectCode, value for value. */
class RejectCodeSchemaTest {

  @Test
  void theSchemaEnumIsGeneratedFromTheRules() throws Exception {
    assertEquals(RejectCodeSchema.sdl(), Files.readString(Path.of("schema/reject-codes.graphqls")),
        "regenerate: java -cp target/classes org.carbonledger.api.RejectCodeSchema > schema/reject-codes.graphqls");
  }
}
