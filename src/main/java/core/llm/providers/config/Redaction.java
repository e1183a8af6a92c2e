package core.llm.providers.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What may be shown of configuration values in toString and messages. */
final class Redaction {
  static final String MASK = "****";

  /**
   * An environment variable name by convention: upper-case letters, digits and underscores, not
   * starting with a digit. Anything else in {@code apiKeyEnv} may be a key pasted by mistake
   * ({@code hf_...}, {@code gsk_...}, hex) and is never printed.
   */
  static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");

  /** The longest user value quoted in a message; longer ones are cut (a 100,000-character name). */
  static final int MAX_QUOTED = 80;

  /** Option keys that smell of credentials ({@code maxTokens} does not match). */
  static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(api[-_]?key|secret|passw(or)?d|authorization|bearer|access[-_]?token|credential).*");

  private Redaction() {}

  static boolean looksSecret(String key) {
    return key != null && SECRET_KEY.matcher(key).matches();
  }

  static String envName(String name) {
    if (name == null) {
      return null;
    }
    return ENV_NAME.matcher(name).matches() ? name : "<not a variable name>";
  }

  /** {@code 'value'}, cut to {@link #MAX_QUOTED} characters with a count of what was left out. */
  static String quote(String value) {
    return "'" + abbreviate(value, MAX_QUOTED) + "'";
  }

  /** {@code text} cut to {@code max} characters, saying how many were left out. */
  static String abbreviate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
  }

  /**
   * A URL-ish string fit to print: user info ({@code user:pass@}) masked and every query value
   * masked ({@code ?key=****}), since both are where keys end up.
   */
  static String url(String url) {
    if (url == null) {
      return null;
    }
    int q = url.indexOf('?');
    if (q >= 0) {
      int hash = url.indexOf('#', q);
      String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
      StringBuilder masked = new StringBuilder();
      for (String pair : query.split("&", -1)) {
        if (masked.length() > 0) {
          masked.append('&');
        }
        int eq = pair.indexOf('=');
        masked.append(eq < 0 ? (pair.isEmpty() ? "" : MASK) : pair.substring(0, eq + 1) + MASK);
      }
      url = userInfo(url.substring(0, q)) + "?" + masked + (hash < 0 ? "" : "#" + MASK);
      return url;
    }
    return userInfo(url);
  }

  private static String userInfo(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = url.length();
    for (int i = start; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int at = url.lastIndexOf('@', end - 1);
    if (at >= start) {
      return url.substring(0, start) + MASK + url.substring(at);
    }
    return url;
  }

  static Object value(Object v) {
    if (v instanceof Map<?, ?> m) {
      return map(m);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Redaction::value).toList();
    }
    return v;
  }

  static Map<String, Object> map(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> out.put(String.valueOf(k), looksSecret(String.valueOf(k)) ? MASK : value(v)));
    return out;
  }
}
