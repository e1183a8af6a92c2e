package core.llm.common;

/** The model is not installed or not served by the provider. For Ollama: pull it first. */
public class ModelNotFoundException extends LlmException {
  public ModelNotFoundException(String message, ErrorContext context, Throwable cause) {
    super(ErrorKind.NOT_FOUND, message, context, cause);
  }

  public ModelNotFoundException(String message, ErrorContext context) {
    this(message, context, null);
  }
}
