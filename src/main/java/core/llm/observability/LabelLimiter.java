package core.llm.observability;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's cardinality bounded: the first {@code max} distinct values are kept as they are,
 * later ones become {@value #OTHER}. Values are also cut to {@value #MAX_LENGTH} characters. Why:
 * model names come from callers, and one meter per name ever sent would grow without limit.
 */
public final class LabelLimiter {
  /** Label of values past the cap. */
  public static final String OTHER = "other";

  /** Label of a missing value. */
  public static final String NONE = "none";

  static final int MAX_LENGTH = 100;

  private final int max;
  private final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();

  public LabelLimiter(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max < 0");
    }
    this.max = max;
  }

  /** The label for {@code value}: itself (cut), {@value #NONE} for null, or {@value #OTHER}. */
  public String label(String value) {
    if (value == null || value.isEmpty()) {
      return NONE;
    }
    String known = seen.get(value);
    if (known != null) {
      return known;
    }
    if (seen.size() >= max) {
      return OTHER;
    }
    String cut = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
    // A race may admit a few values past max; the bound stays max plus the number of threads.
    String prev = seen.putIfAbsent(value, cut);
    return prev != null ? prev : cut;
  }

  /** Distinct values admitted so far. */
  public int size() {
    return seen.size();
  }
}
