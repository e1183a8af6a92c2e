package core.llm.providers.base;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One request to send: method, path relative to the base URL, extra headers, JSON body (or none),
 * the timeouts that apply, and a short endpoint label used in errors ({@code POST /api/chat}).
 */
public record HttpCall(
    HttpMethod method, String path, MultiMap headers, Buffer body, Timeouts timeouts) {

  public String endpoint() {
    return method.name() + " " + path;
  }
}
