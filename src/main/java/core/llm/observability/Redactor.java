package core.llm.observability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks anything in a log line that looks like a credential: Authorization headers and bearer
 * tokens, {@code key=value} pairs whose key smells of a secret, well-known key shapes ({@code sk-},
 * {@code sk-ant-}, GitHub and Google tokens, JWTs), and long random-looking tokens. Why a pattern
 * scan and not a list of known keys: the log must stay clean even for keys this library never saw
 * (a user pasting one into a prompt).
 */
public final class Redactor {
  /** What replaces a secret. */
  public static final String MASK = "****";

  private static final Pattern AUTH_HEADER =
      Pattern.compile(
          "(?i)(authorization|proxy-authorization|x-api-key|api-key)(\\s*[:=]\\s*)(\"?)(bearer\\s+|basic\\s+)?[^\\s\",;]+");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern SECRET_PAIR =
      Pattern.compile(
          "(?i)((?:[A-Za-z0-9_.-]*(?:api[-_]?key|secret|passw(?:or)?d|(?:access|auth|refresh|session|bearer)[-_]?token|credential)[A-Za-z0-9_.-]*)|\\btoken)"
              + "(\"?\\s*[:=]\\s*\"?)[^\\s\",;&]+");
  private static final Pattern KNOWN_SHAPES =
      Pattern.compile(
          "\\b(?:sk-[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|AIza[0-9A-Za-z_-]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}"
              + "|eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*)");

  /** 32+ characters of token alphabet with both letters and digits: keys, not words. */
  private static final Pattern LONG_TOKEN =
      Pattern.compile("\\b(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\\b");

  private Redactor() {}

  /** The text with every credential-looking part replaced by {@value #MASK}; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s =
        AUTH_HEADER
            .matcher(text)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3) + MASK));
    s = BEARER.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
    s =
        SECRET_PAIR
            .matcher(s)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    s = KNOWN_SHAPES.matcher(s).replaceAll(MASK);
    return LONG_TOKEN.matcher(s).replaceAll(MASK);
  }
}
