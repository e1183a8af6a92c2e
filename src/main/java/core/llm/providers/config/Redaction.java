package core.llm.providers.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What may be shown of configuration values in toString and messages. */
final class Redaction {
  static final String MASK = "****";
  /** A plausible environment variable name. */
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
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

  /** Removes user info ({@code user:pass@}) from a URL-ish string. */
  static String url(String url) {
    if (url == null) {
      return null;
    }
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
    m.forEach((k, v) -> out.put(String.valueOf(k), looksSecret(String.valueOf(k)) ? MASK : value(v)));
    return out;
  }
}
