package core.llm.factory;

import core.llm.common.CancelledException;
import core.llm.common.ConnectionException;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.InternalErrorException;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.StreamErrorException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever a provider failed with into the shared taxonomy, so routing decides on the kind.
 */
final class Errors {
  private Errors() {}

  static LlmException classify(Throwable t, String provider) {
    if (t instanceof LlmException e) {
      return e;
    }
    ErrorContext ctx = ErrorContext.of(provider, null);
    String what = t.getClass().getSimpleName();
    if (t instanceof TimeoutException) {
      return new LlmTimeoutException(
          "provider '" + provider + "' timed out (" + what + ")",
          LlmTimeoutException.Phase.TOTAL,
          null,
          ctx);
    }
    if (t instanceof IOException || t instanceof io.vertx.core.VertxException) {
      return new ConnectionException(
          "provider '" + provider + "' connection failed (" + what + ")", ctx, t);
    }
    // Anything else outside the taxonomy (a NullPointerException, an IllegalStateException...) is a
    // bug, not an answer of the server: retrying would fail the same way, and failing over would
    // hide the bug behind another provider's answer.
    return new InternalErrorException(
        "internal error in core-llm while calling provider '"
            + provider
            + "' ("
            + what
            + (t.getMessage() == null ? "" : ": " + t.getMessage())
            + "); this is a bug of the library,"
            + " please report it with the stack trace of the cause",
        ctx,
        t);
  }

  /**
   * The error a caller sees when a stream fails after its first token: stream errors, incomplete
   * streams and cancellations keep their type; anything else (a cut connection, an idle timeout) is
   * wrapped in a {@link StreamErrorException} whose cause is the original, so it is never mistaken
   * for a failure that could have been retried.
   */
  static LlmException midStream(LlmException e, String provider) {
    ErrorKind k = e.kind();
    if (k == ErrorKind.STREAM_ERROR
        || k == ErrorKind.INCOMPLETE_STREAM
        || k == ErrorKind.CANCELLED) {
      return e;
    }
    return new StreamErrorException(
        "stream from provider '" + provider + "' failed after the first token: " + k,
        e.context().provider() == null ? e.context().withProvider(provider) : e.context(),
        e);
  }

  /**
   * Whether routing may try again (retry or fail over) after {@code e}, before anything reached the
   * caller: a retryable kind, or a stream that ended early having delivered nothing (a cut after
   * the 200 head, a unary call whose stream broke mid-body): zero chunks delivered means nothing
   * was committed.
   */
  static boolean retryableBeforeCommit(LlmException e) {
    return e.retryable() || e.kind() == ErrorKind.INCOMPLETE_STREAM;
  }

  /** What a request gets from a closed factory: typed, not retryable, saying what to do. */
  static CancelledException factoryClosed() {
    return new CancelledException(
        "the provider factory was closed (factory.close() or LlmService.stop());"
            + " requests in flight end, new ones need a new factory",
        ErrorContext.of(null, null));
  }

  static CancelledException cancelled(String provider) {
    return new CancelledException("stream cancelled", ErrorContext.of(provider, null));
  }
}
