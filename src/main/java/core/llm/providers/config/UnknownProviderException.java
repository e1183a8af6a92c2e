package core.llm.providers.config;

import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * No provider of that name is configured. Kind NOT_FOUND (not retryable); {@link #provider()} is
 * the requested name and the message lists the available ones, sorted.
 */
public class UnknownProviderException extends LlmException {
  private final List<String> available;

  public UnknownProviderException(String name, Collection<String> available) {
    super(
        ErrorKind.NOT_FOUND,
        "Unknown provider '" + name + "'. Available: " + new TreeSet<>(available),
        ErrorContext.of(name, null),
        null);
    this.available = List.copyOf(new TreeSet<>(available));
  }

  /** Configured provider names, sorted. */
  public List<String> available() {
    return available;
  }
}
