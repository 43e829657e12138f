package org.carbonledger.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TestVectors loads the shared JSON test vectors with Jackson's streaming parser into plain maps and lists.
 * Numbers become Long, or BigInteger when they do not fit (one probe uses 2^64-1). Deliberately not our own
 * CanonicalJson parser, so a bug there cannot hide in the vectors.
 */
final class TestVectors {

  static final Path DIRECTORY = Path.of("../shared/testdata");

  private TestVectors() {}

  static Map<String, Object> load(String fileName) {
    try (JsonParser parser = new JsonFactory().createParser(Files.readAllBytes(DIRECTORY.resolve(fileName)))) {
      parser.nextToken();
      return map(read(parser));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> out = new LinkedHashMap<>();
        while (parser.nextToken() != JsonToken.END_OBJECT) {
          String name = parser.currentName();
          parser.nextToken();
          out.put(name, read(parser));
        }
        return out;
      }
      case START_ARRAY -> {
        List<Object> out = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          out.add(read(parser));
        }
        return out;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        BigInteger value = parser.getBigIntegerValue();
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return parser.getBooleanValue();
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalStateException("unexpected token " + token);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  static List<Map<String, Object>> maps(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    list(value).forEach(item -> out.add(map(item)));
    return out;
  }

  static String string(Map<String, Object> object, String key) {
    return (String) object.get(key);
  }

  /** A number field as a long; 2^64-1 (an unsigned -1 in the Go probes) wraps to -1 like a uint64 cast. */
  static long number(Map<String, Object> object, String key) {
    Object value = object.get(key);
    return value instanceof BigInteger big ? big.longValue() : (Long) value;
  }

  static byte[] hex(Map<String, Object> object, String key) {
    return Hex.decode(string(object, key));
  }

  static List<byte[]> hexList(Map<String, Object> object, String key) {
    List<byte[]> out = new ArrayList<>();
    list(object.get(key)).forEach(item -> out.add(Hex.decode((String) item)));
    return out;
  }
}
