package core.llm.providers.config;

import java.util.Locale;

/** Configuration file syntax. */
public enum ConfigFormat {
  YAML,
  JSON;

  /** By extension ({@code .json}; {@code .yaml}/{@code .yml}), else null. */
  public static ConfigFormat fromFileName(String fileName) {
    if (fileName == null) {
      return null;
    }
    String f = fileName.toLowerCase(Locale.ROOT);
    if (f.endsWith(".json")) {
      return JSON;
    }
    if (f.endsWith(".yaml") || f.endsWith(".yml")) {
      return YAML;
    }
    return null;
  }

  /** JSON when the first non-blank character is <code>&#123;</code> or {@code [}, else YAML. */
  public static ConfigFormat sniff(String text) {
    String s = text == null ? "" : text.stripLeading();
    if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
      s = s.substring(1).stripLeading();
    }
    return !s.isEmpty() && (s.charAt(0) == '{' || s.charAt(0) == '[') ? JSON : YAML;
  }
}
