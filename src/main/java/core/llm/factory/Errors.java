package core.llm.factory;

import core.llm.common.CancelledException;
import core.llm.common.ConnectionException;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.ServerErrorException;
import core.llm.common.StreamErrorException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Turns whatever a provider failed with into the shared taxonomy, so routing decides on the kind. */
final class Errors {
  private Errors() {}

  static LlmException classify(Throwable t, String provider) {
    if (t instanceof LlmException e) {
      return e;
    }
    ErrorContext ctx = ErrorContext.of(provider, null);
    String what = t.getClass().getSimpleName();
    if (t instanceof TimeoutException) {
      return new LlmTimeoutException("provider '" + provider + "' timed out (" + what + ")",
          LlmTimeoutException.Phase.TOTAL, null, ctx);
    }
    if (t instanceof IOException || t instanceof io.vertx.core.VertxException) {
      return new ConnectionException("provider '" + provider + "' connection failed (" + what + ")", ctx, t);
    }
    // A provider that throws something outside the taxonomy has a bug or an unexpected failure:
    // another provider may still serve the request, so it is treated as a server error.
    return new ServerErrorException("provider '" + provider + "' failed (" + what + ")", ctx, t);
  }

  /**
   * The error a caller sees when a stream fails after its first token: stream errors, incomplete
   * streams and cancellations keep their type; anything else (a cut connection, an idle timeout) is
   * wrapped in a {@link StreamErrorException} whose cause is the original, so it is never mistaken
   * for a failure that could have been retried.
   */
  static LlmException midStream(LlmException e, String provider) {
    ErrorKind k = e.kind();
    if (k == ErrorKind.STREAM_ERROR || k == ErrorKind.INCOMPLETE_STREAM || k == ErrorKind.CANCELLED) {
      return e;
    }
    return new StreamErrorException("stream from provider '" + provider + "' failed after the first token: " + k,
        e.context().provider() == null ? e.context().withProvider(provider) : e.context(), e);
  }

  static CancelledException cancelled(String provider) {
    return new CancelledException("stream cancelled", ErrorContext.of(provider, null));
  }
}
