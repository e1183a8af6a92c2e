package core.llm.providers.mock;

import core.llm.common.BadRequestException;
import core.llm.common.CancelledException;
import core.llm.common.CapabilityMissingException;
import core.llm.common.ConnectionException;
import core.llm.common.ContextTooLongException;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.IncompleteStreamException;
import core.llm.common.InternalErrorException;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.LlmTimeoutException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.OverloadedException;
import core.llm.common.RateLimitedException;
import core.llm.common.ServerErrorException;
import core.llm.common.StreamErrorException;
import core.llm.common.UnauthorizedException;
import java.time.Duration;
import java.util.List;

/**
 * Builds the typed exception a real provider would raise for each kind, so callers see no
 * difference.
 */
final class MockErrors {
  private MockErrors() {}

  static LlmException of(
      ErrorKind kind, int status, String serverMessage, Duration retryAfter, ErrorContext base) {
    String said =
        serverMessage == null
            ? "scripted " + kind.name().toLowerCase() + " failure"
            : serverMessage;
    ErrorContext ctx = base.withStatus(status, said).withRetryAfter(retryAfter);
    String msg =
        "Mock provider '"
            + base.provider()
            + "' failed ("
            + base.endpoint()
            + (status > 0 ? ", HTTP " + status : "")
            + "): "
            + said;
    return switch (kind) {
      case NOT_FOUND -> new ModelNotFoundException(msg, ctx);
      case CAPABILITY_MISSING -> new CapabilityMissingException(msg, null, ctx);
      case BAD_REQUEST -> new BadRequestException(msg, ctx);
      case UNAUTHORIZED -> new UnauthorizedException(msg, null, ctx);
      case RATE_LIMITED -> new RateLimitedException(msg, ctx);
      case OVERLOADED -> new OverloadedException(msg, ctx);
      case CONTEXT_TOO_LONG -> new ContextTooLongException(msg, ctx);
      case SERVER_ERROR -> new ServerErrorException(msg, ctx);
      case CONNECTION -> refused(base);
      case TIMEOUT -> new LlmTimeoutException(msg, LlmTimeoutException.Phase.FIRST_BYTE, null, ctx);
      case STREAM_ERROR -> new StreamErrorException(msg, ctx);
      case INCOMPLETE_STREAM -> new IncompleteStreamException(msg, List.of(), ctx);
      case INVALID_RESPONSE -> new InvalidResponseException(msg, ctx);
      case CANCELLED -> new CancelledException(msg, ctx);
      case INTERNAL -> new InternalErrorException(msg, ctx, null);
    };
  }

  static ConnectionException refused(ErrorContext ctx) {
    return new ConnectionException(
        "Cannot reach mock provider '"
            + ctx.provider()
            + "' ("
            + ctx.endpoint()
            + "): it is scripted to refuse connections",
        ctx);
  }

  static LlmTimeoutException stallTimeout(Duration limit, ErrorContext ctx) {
    return new LlmTimeoutException(
        "No reply from mock provider '"
            + ctx.provider()
            + "' within "
            + limit
            + " (scripted stall)",
        LlmTimeoutException.Phase.FIRST_BYTE,
        limit,
        ctx);
  }

  static StreamErrorException midStream(String message, int chunksBefore, ErrorContext ctx) {
    return new StreamErrorException(
        "Mock provider '"
            + ctx.provider()
            + "' reported an error in the stream after "
            + chunksBefore
            + " chunk(s): "
            + message,
        ctx.withStatus(0, message));
  }

  static IncompleteStreamException cut(List<?> received, ErrorContext ctx) {
    return new IncompleteStreamException(
        "The stream of mock provider '"
            + ctx.provider()
            + "' ended after "
            + received.size()
            + " chunk(s) without its end marker",
        received,
        ctx);
  }
}
