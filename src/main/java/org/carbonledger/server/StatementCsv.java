package org.carbonledger.server;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * StatementCsv writes an account statement, shaped as for its JSON download, as RFC 4180 CSV: a header row,
 * then one record per line, each with the same columns. The {@code record} column says what a line is:
 * {@code OPENING} (seq = fromSeq, quantity = opening balance), one {@code MOVEMENT} per entry, {@code CLOSING}
 * (seq = toSeq, quantity = closing balance), and last {@code CHECKPOINT} (seq = tree size, time = signed at,
 * hash = root hash, signed_note = the note, which spans lines inside its quotes). Numbers are plain integers;
 * serial ranges are {@code start-end}, and proof hashes hex, both separated by spaces. Lines end in CRLF.
 * Values are written as they are, so the file equals the JSON download, but for one: a reference (the one text
 * another holder chooses) that a spreadsheet would run as a formula gets a leading apostrophe ({@link #asText}).
 */
final class StatementCsv {

  static final String HEADER = "record,account_id,seq,time,kind,counterpart_account_id,quantity,serial_ranges,reference,"
      + "hash,inclusion_proof,signed_note";

  private StatementCsv() {}

  @SuppressWarnings("unchecked")
  static String format(Map<String, Object> statement) {
    String account = (String) statement.get("accountId");
    Map<String, Object> window = (Map<String, Object>) statement.get("window");
    Map<String, Object> checkpoint = (Map<String, Object>) statement.get("checkpoint");
    StringBuilder out = new StringBuilder();
    line(out, HEADER.split(",", -1));
    line(out, "OPENING", account, window.get("fromSeq"), window.get("fromTime"), null, null, statement.get("openingBalance"),
        null, null, null, null, null);
    for (Map<String, Object> movement : (List<Map<String, Object>>) statement.get("movements")) {
      String ranges = ((List<Map<String, Object>>) movement.get("serialRanges")).stream()
          .map(range -> range.get("start") + "-" + range.get("end")).collect(Collectors.joining(" "));
      line(out, "MOVEMENT", account, movement.get("seq"), movement.get("time"), movement.get("kind"),
          movement.get("counterpartAccountId"), movement.get("quantity"), ranges, asText((String) movement.get("reference")),
          movement.get("leafHash"), String.join(" ", (List<String>) movement.get("inclusionProof")), null);
    }
    line(out, "CLOSING", account, window.get("toSeq"), window.get("toTime"), null, null, statement.get("closingBalance"),
        null, null, null, null, null);
    line(out, "CHECKPOINT", null, checkpoint.get("treeSize"), checkpoint.get("signedAt"), null, null, null, null, null,
        checkpoint.get("rootHash"), null, checkpoint.get("signedNote"));
    return out.toString();
  }

  private static void line(StringBuilder out, Object... values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(values[i]));
    }
    out.append("\r\n");
  }

  /**
   * A text a spreadsheet shows as text: one that begins with {@code = + - @}, a tab or a carriage return would be
   * run as a formula (CSV injection), so it gets a leading apostrophe, which spreadsheets hide. The sender of a
   * transfer writes its reference, and it lands in the receiver's statement.
   */
  static String asText(String text) {
    return text != null && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  /** A field, quoted when it holds a comma, a quote or a line break (RFC 4180, 2.6 and 2.7). */
  static String field(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
