package core.llm.providers.ollama.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the {@code parameters} blob of /api/show: one {@code key <spaces> go-value} per line. */
final class ParameterText {

  private ParameterText() {}

  static Map<String, List<String>> parse(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      int space = indexOfWhitespace(trimmed);
      String key = space < 0 ? trimmed : trimmed.substring(0, space);
      String raw = space < 0 ? "" : trimmed.substring(space).strip();
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(unquote(raw));
    }
    out.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return Collections.unmodifiableMap(out);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Undoes Go's %q quoting: strings arrive as {@code "<|eot_id|>"} with backslash escapes. */
  static String unquote(String raw) {
    if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
      return raw;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < raw.length() - 1; i++) {
      char c = raw.charAt(i);
      if (c != '\\' || i + 1 >= raw.length() - 1) {
        sb.append(c);
        continue;
      }
      char e = raw.charAt(++i);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'v' -> sb.append('\u000b');
        case 'x' -> {
          sb.append((char) Integer.parseInt(raw.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          sb.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'U' -> {
          sb.appendCodePoint(Integer.parseInt(raw.substring(i + 1, i + 9), 16));
          i += 8;
        }
        default -> sb.append(e);
      }
    }
    return sb.toString();
  }
}
