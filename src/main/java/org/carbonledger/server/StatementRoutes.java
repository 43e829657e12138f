package org.carbonledger.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.carbonledger.api.ApiException;
import org.carbonledger.api.AuthGate;
import org.carbonledger.api.DecimalText;
import org.carbonledger.api.ErrorCodes;
import org.carbonledger.api.Statements;
import org.carbonledger.store.Ledger;

/**
 * StatementRoutes serves an account statement as downloads: {@code GET /accounts/<accountId>/statement.csv} and
 * {@code .json}, with the window in the query ({@code fromSeq}, {@code toSeq} or {@code fromTime}, {@code toTime},
 * as in the GraphQL {@code accountStatement}). Both carry the same content as the GraphQL answer (the JSON is the
 * AccountStatement object itself; the CSV is {@link StatementCsv}). A statement is private, so requests
 * authenticate through the AuthGate like {@code /graphql}, and errors are the API's JSON errors with
 * {@code extensions.code}.
 */
final class StatementRoutes {

  private static final String CSV = "text/csv; charset=utf-8; header=present";
  private static final String JSON = "application/json; charset=utf-8";

  private final Statements statements;
  private final AuthGate gate;

  private StatementRoutes(Statements statements, AuthGate gate) {
    this.statements = statements;
    this.gate = gate;
  }

  static void mount(Router router, Pool pool, Ledger ledger, AuthGate gate) {
    StatementRoutes routes = new StatementRoutes(new Statements(pool, ledger.reader()), gate);
    GetRoutes.get(router, "/accounts/:accountId/statement.csv", context -> routes.statement(context, true));
    GetRoutes.get(router, "/accounts/:accountId/statement.json", context -> routes.statement(context, false));
  }

  private void statement(RoutingContext context, boolean csv) {
    Statements.Window window;
    try {
      window = window(context);
    } catch (ApiException bad) {
      HttpRoutes.error(context, 400, bad.code(), bad.getMessage());
      return;
    }
    String accountId = context.pathParam("accountId");
    gate.admit(context.request())
        .compose(principal -> statements.statement(principal, accountId, window))
        .map(statement -> Statements.shape(statement, window, Statements.Form.JSON))
        .onSuccess(shaped -> {
          String name = "statement-" + accountId + "-" + ((Map<?, ?>) shaped.get("window")).get("fromSeq") + "-"
              + ((Map<?, ?>) shaped.get("window")).get("toSeq") + (csv ? ".csv" : ".json");
          context.response().setStatusCode(200)
              .putHeader(HttpHeaders.CONTENT_TYPE, csv ? CSV : JSON)
              // Private data: no shared cache may keep it.
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
              .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
              .end(csv ? StatementCsv.format(shaped) : new JsonObject(shaped).encode());
        })
        .onFailure(failure -> refuse(context, failure));
  }

  private static void refuse(RoutingContext context, Throwable failure) {
    if (failure instanceof AuthGate.Refused refused) {
      refused.applyTo(context.response());
      HttpRoutes.error(context, refused.status, refused.code, refused.getMessage());
    } else if (failure instanceof ApiException refusal) {
      if (status(refusal.code()) == 401) {
        context.response().putHeader("WWW-Authenticate", "Bearer");
      }
      HttpRoutes.error(context, status(refusal.code()), refusal.code(), refusal.getMessage());
    } else {
      context.fail(failure);
    }
  }

  /** The HTTP status of an API error code: access and availability have their own; the rest is the request's fault. */
  static int status(String code) {
    return switch (code) {
      case ErrorCodes.UNAUTHENTICATED -> 401;
      case ErrorCodes.FORBIDDEN -> 403;
      case ErrorCodes.NOT_FOUND -> 404;
      case ErrorCodes.UNAVAILABLE -> 503;
      default -> 400;
    };
  }

  /** The window of the query string; throws ApiException BAD_USER_INPUT for a value that does not parse. */
  private static Statements.Window window(RoutingContext context) {
    return new Statements.Window(seq(context, "fromSeq"), seq(context, "toSeq"), time(context, "fromTime"), time(context, "toTime"));
  }

  private static Long seq(RoutingContext context, String name) {
    String text = single(context, name);
    try {
      return text == null ? null : DecimalText.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'" + name + "' must be a whole number, got '" + text + "'");
    }
  }

  private static Instant time(RoutingContext context, String name) {
    String text = single(context, name);
    try {
      return text == null ? null : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      // A '+' offset sent unescaped arrives as a space: the commonest mistake, so say how to send one.
      String escapePlus = text.contains(" ") ? " (in a URL, write the offset's + as %2B: 2026-11-30T09:00:00%2B09:00)" : "";
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'" + name + "' must be an RFC 3339 time, e.g. 2026-11-29T15:43:35Z"
          + escapePlus);
    }
  }

  private static String single(RoutingContext context, String name) {
    List<String> values = context.queryParam(name);
    if (values.size() > 1) {
      throw new ApiException(ErrorCodes.BAD_USER_INPUT, "'" + name + "' is given " + values.size() + " times");
    }
    return values.isEmpty() ? null : values.get(0);
  }
}
