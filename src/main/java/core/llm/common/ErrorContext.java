package core.llm.common;

import java.time.Duration;

/**
 * Where an error happened: the provider, the endpoint, the HTTP status (0 if none), the server's
 * own message and any Retry-After. Never holds credentials or request bodies.
 */
public record ErrorContext(
    String provider, String endpoint, int status, String serverMessage, Duration retryAfter) {

  public static final ErrorContext NONE = new ErrorContext(null, null, 0, null, null);

  public static ErrorContext of(String provider, String endpoint) {
    return new ErrorContext(provider, endpoint, 0, null, null);
  }

  public ErrorContext withStatus(int newStatus, String newServerMessage) {
    return new ErrorContext(provider, endpoint, newStatus, newServerMessage, retryAfter);
  }

  public ErrorContext withRetryAfter(Duration newRetryAfter) {
    return new ErrorContext(provider, endpoint, status, serverMessage, newRetryAfter);
  }

  public ErrorContext withProvider(String newProvider) {
    return new ErrorContext(newProvider, endpoint, status, serverMessage, retryAfter);
  }
}
