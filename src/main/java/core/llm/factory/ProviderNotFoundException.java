package core.llm.factory;

import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * No provider of that name is configured (or it is disabled). Kind NOT_FOUND: asking again will not
 * help. The message lists the available (configured and enabled) names, sorted.
 */
public class ProviderNotFoundException extends LlmException {
  private final String requested;
  private final List<String> available;

  public ProviderNotFoundException(String requested, Collection<String> available) {
    this(
        requested,
        available,
        "Unknown provider '" + requested + "'. Available: " + new TreeSet<>(available),
        null);
  }

  /** With a specific reason, e.g. a creator that failed or an unknown type. */
  public ProviderNotFoundException(
      String requested, Collection<String> available, String message, Throwable cause) {
    super(ErrorKind.NOT_FOUND, message, ErrorContext.of(requested, null), cause);
    this.requested = requested;
    this.available = List.copyOf(new TreeSet<>(available));
  }

  /** The name asked for. */
  public String requested() {
    return requested;
  }

  /** Configured, enabled provider names, sorted. */
  public List<String> available() {
    return available;
  }
}
