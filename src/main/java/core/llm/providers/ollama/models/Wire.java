package core.llm.providers.ollama.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers for the wire records; package-private so the public surface stays the records. */
final class Wire {

  /** Plain mapper for internal conversions only (schema maps, string tool arguments). */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Wire() {}

  /** Parses Go's RFC 3339 times: 0-9 fractional digits, Z or a local offset; null stays null. */
  static OffsetDateTime time(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an RFC 3339 time: \"" + raw + "\"", e);
    }
  }

  /** Zero metrics are omitted by the server, so an absent duration reads as zero. */
  static Duration nanos(Long nanos) {
    return nanos == null ? Duration.ZERO : Duration.ofNanos(nanos);
  }

  /** Builders pass null, Jackson passes an empty map: normalise so equals() agrees. */
  static Map<String, Object> extra(Map<String, Object> extra) {
    if (extra == null || extra.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** An array of strings, for the string-or-list unions; anything else is refused. */
  static List<String> strings(JsonNode node) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "expected a string or an array of strings, got " + node.getNodeType());
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException(
            "expected an array of strings, found " + item.getNodeType());
      }
      values.add(item.textValue());
    }
    return values;
  }
}
