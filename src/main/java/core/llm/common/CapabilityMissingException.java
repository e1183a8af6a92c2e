package core.llm.common;

/**
 * The model exists but cannot do what the request asks: tools, thinking, vision, insert (suffix),
 * embedding, completion... {@link #capability()} names it when it is known.
 */
public class CapabilityMissingException extends LlmException {
  private final String capability;

  public CapabilityMissingException(String message, String capability, ErrorContext context) {
    super(ErrorKind.CAPABILITY_MISSING, message, context, null);
    this.capability = capability;
  }

  /**
   * The missing capability as the server names it ({@code tools}, {@code thinking}...), or null.
   */
  public String capability() {
    return capability;
  }
}
