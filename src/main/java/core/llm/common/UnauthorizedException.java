package core.llm.common;

import java.util.Optional;

/** 401 or 403: credentials are missing or wrong. Ollama's cloud routes add a sign-in URL. */
public class UnauthorizedException extends LlmException {
  private final String signinUrl;

  public UnauthorizedException(String message, String signinUrl, ErrorContext context) {
    super(ErrorKind.UNAUTHORIZED, message, context, null);
    this.signinUrl = signinUrl;
  }

  /** Where to sign this server in to ollama.com ({@code signin_url}), when the server sent one. */
  public Optional<String> signinUrl() {
    return Optional.ofNullable(signinUrl);
  }
}
