package core.llm.providers.spi;

import core.llm.common.BadRequestException;
import core.llm.common.BaseUrl;
import core.llm.common.ErrorContext;
import core.llm.common.LlmException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The one rule for a 3xx reply, called first by every {@link HttpErrorMapper}. A redirect is never
 * followed (a POST body and an API key must not travel to a host nobody configured) and never
 * retried (the same request gets the same redirect): it is a non-retryable {@code BAD_REQUEST}
 * whose message names where it pointed, so that the base URL can be corrected.
 */
public final class Redirects {
  private Redirects() {}

  /** Whether {@code status} is a redirect this rule answers. */
  public static boolean isRedirect(int status) {
    return status >= 300 && status < 400;
  }

  /**
   * The error for a 3xx reply. The {@code Location} is shown without user info and with query
   * values masked ({@link BaseUrl#printable(String)}): it may carry a token.
   */
  public static LlmException error(
      int status, MultiMap headers, String provider, ErrorContext context) {
    String location = headers == null ? null : headers.get(HttpHeaders.LOCATION);
    String where =
        location == null || location.isBlank()
            ? "without a Location"
            : "to " + BaseUrl.printable(location.strip());
    return new BadRequestException(
        provider
            + " answered "
            + context.endpoint()
            + " with a redirect (HTTP "
            + status
            + ") "
            + where
            + ". Redirects are not followed: set the base URL to where the server lives"
            + " (often https instead of http, or a missing or extra path).",
        context.withStatus(status, null));
  }
}
