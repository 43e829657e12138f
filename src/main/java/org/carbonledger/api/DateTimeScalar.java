package org.carbonledger.api;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * DateTimeScalar is the schema's DateTime: RFC 3339 in UTC with exactly six fractional digits, the same
 * form as an entry's {@code time}, so a time read from the API compares equal to the one in the log.
 * (graphql-java-extended-scalars' DateTime keeps milliseconds only.) Input accepts any RFC 3339 offset.
 */
final class DateTimeScalar {

  private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);

  private DateTimeScalar() {}

  static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar()
      .name("DateTime")
      .description("An instant in UTC, RFC 3339 with microseconds, e.g. 2026-11-29T15:43:35.123456Z.")
      .coercing(new Coercing<OffsetDateTime, String>() {
        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
          Instant instant;
          if (value instanceof OffsetDateTime time) {
            instant = time.toInstant();
          } else if (value instanceof Instant time) {
            instant = time;
          } else {
            throw new CoercingSerializeException("not a time: " + value.getClass().getSimpleName());
          }
          return OUTPUT.format(instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        }

        @Override
        public OffsetDateTime parseValue(Object input, GraphQLContext context, Locale locale) {
          if (!(input instanceof String text)) {
            throw new CoercingParseValueException("DateTime must be an RFC 3339 string");
          }
          try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
          } catch (DateTimeParseException e) {
            throw new CoercingParseValueException("DateTime must be RFC 3339, e.g. 2026-11-29T15:43:35Z");
          }
        }

        @Override
        public OffsetDateTime parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
          if (!(input instanceof StringValue text)) {
            throw new CoercingParseLiteralException("DateTime must be an RFC 3339 string");
          }
          try {
            return OffsetDateTime.parse(text.getValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
          } catch (DateTimeParseException e) {
            throw new CoercingParseLiteralException("DateTime must be RFC 3339, e.g. 2026-11-29T15:43:35Z");
          }
        }
      })
      .build();
}
