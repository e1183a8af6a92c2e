package core.llm.providers.ollama;

import core.llm.common.BadRequestException;
import core.llm.common.ErrorContext;

/**
 * The request uses a feature the Ollama server is too old for. Raised before sending, by {@link
 * CapabilityGuard}, instead of the server's less helpful 400 (or a silently ignored field). A
 * {@link BadRequestException} because that is what the server would have answered.
 */
public class ServerTooOldException extends BadRequestException {
  private final String feature;
  private final String required;
  private final String actual;

  public ServerTooOldException(
      String feature, String required, String actual, ErrorContext context) {
    super(
        feature
            + " needs Ollama "
            + required
            + " or newer, but the server runs "
            + actual
            + "; upgrade Ollama or leave the feature out",
        context);
    this.feature = feature;
    this.required = required;
    this.actual = actual;
  }

  /** The feature, as written in the message (for example {@code think "max"}). */
  public String feature() {
    return feature;
  }

  /** The first server version that has it. */
  public String required() {
    return required;
  }

  /** What {@code /api/version} said. */
  public String actual() {
    return actual;
  }
}
