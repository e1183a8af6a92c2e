package core.llm.providers.spi;

import core.llm.common.ErrorContext;
import core.llm.common.LlmException;
import io.vertx.core.MultiMap;

/**
 * The one place where a provider turns a failed HTTP exchange into a typed error. Each provider has
 * one; the transport calls it and nothing else decides error types.
 */
public interface HttpErrorMapper {

  /** A non-2xx reply, with its (bounded) body as text. */
  LlmException fromStatus(int status, MultiMap headers, String body, ErrorContext context);

  /** The connection could not be opened or broke before the response head. */
  LlmException connectionFailed(Throwable cause, String url, ErrorContext context);
}
