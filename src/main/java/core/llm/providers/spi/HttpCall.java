package core.llm.providers.spi;

import core.llm.providers.base.Timeouts;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request to send: method, path relative to the base URL, extra headers, JSON body (or none),
 * the timeouts that apply, and a short endpoint label used in errors ({@code POST /api/chat}).
 *
 * @param headers the caller's per-request headers: they override the client's common ones
 * @param protocolHeaders headers the exchange depends on (a stream's {@code Accept}, an upload's
 *     {@code Content-Type}); applied last, so no custom header replaces them. Null: the defaults
 *     ({@code Accept: application/json}, and {@code Content-Type: application/json} with a body)
 */
public record HttpCall(
    HttpMethod method,
    String path,
    MultiMap headers,
    Buffer body,
    Timeouts timeouts,
    MultiMap protocolHeaders) {

  /** A call with the default protocol headers. */
  public HttpCall(
      HttpMethod method, String path, MultiMap headers, Buffer body, Timeouts timeouts) {
    this(method, path, headers, body, timeouts, null);
  }

  public String endpoint() {
    return method.name() + " " + path;
  }
}
