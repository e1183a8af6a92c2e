package core.llm.gateway;

import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import java.time.Duration;

/**
 * The gateway itself refused the caller: no or unknown key (401), a model the key may not use
 * (403), or a limit or budget reached (429, with when to retry). Distinct from a back end's own 401
 * or 429, which the gateway reports as the back end's failure, not as the caller's key being bad.
 */
public final class GatewayAccessException extends LlmException {

  private GatewayAccessException(ErrorKind kind, int status, String message, Duration retryAfter) {
    super(kind, message, new ErrorContext("gateway", null, status, null, retryAfter), null);
  }

  /** 401: no key, or one the gateway does not know. */
  public static GatewayAccessException unauthenticated(String message) {
    return new GatewayAccessException(ErrorKind.UNAUTHORIZED, 401, message, null);
  }

  /** 403: a known key asking for what it may not use. */
  public static GatewayAccessException forbidden(String message) {
    return new GatewayAccessException(ErrorKind.UNAUTHORIZED, 403, message, null);
  }

  /** 429: a limit or the budget reached; {@code retryAfter} null when waiting will not help. */
  public static GatewayAccessException limited(String message, Duration retryAfter) {
    return new GatewayAccessException(ErrorKind.RATE_LIMITED, 429, message, retryAfter);
  }
}
