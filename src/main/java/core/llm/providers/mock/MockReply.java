package core.llm.providers.mock;

import core.llm.common.ErrorKind;
import core.llm.common.FinishReason;
import core.llm.common.LlmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One scripted answer of a {@link MockProvider}: text tokens (or tool calls) followed by a normal
 * end, an error, a cut, or a stall. Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * mock.nextReply(MockReply.tokens("Hel", "lo").withUsage(12, 2));
 * mock.nextReply(MockReply.failure(ErrorKind.RATE_LIMITED).withRetryAfter(Duration.ofSeconds(3)));
 * mock.nextReply(MockReply.midStreamError(List.of("a", "b"), "engine crashed"));
 * }</pre>
 */
public final class MockReply {
  /** How the reply ends after its tokens. */
  enum Ending {
    END,
    FAIL,
    MID_STREAM_ERROR,
    CUT,
    STALL,
    REFUSE
  }

  /** A tool call to answer with; arguments as JSON object text (streamed in two fragments). */
  record ToolCallSpec(String id, String name, String argumentsJson) {}

  final List<String> tokens;
  final String thinking;
  final List<ToolCallSpec> toolCalls;
  final Ending ending;
  final ErrorKind kind;
  final int status;
  final String message;
  final LlmException exception;
  final Duration retryAfter;
  final Duration stallLimit;
  final Integer promptTokens;
  final Integer completionTokens;
  final FinishReason finishReason;

  private MockReply(
      List<String> tokens,
      String thinking,
      List<ToolCallSpec> toolCalls,
      Ending ending,
      ErrorKind kind,
      int status,
      String message,
      LlmException exception,
      Duration retryAfter,
      Duration stallLimit,
      Integer promptTokens,
      Integer completionTokens,
      FinishReason finishReason) {
    this.tokens = List.copyOf(tokens);
    this.thinking = thinking;
    this.toolCalls = List.copyOf(toolCalls);
    this.ending = ending;
    this.kind = kind;
    this.status = status;
    this.message = message;
    this.exception = exception;
    this.retryAfter = retryAfter;
    this.stallLimit = stallLimit;
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.finishReason = finishReason;
  }

  private static MockReply of(List<String> tokens, Ending ending) {
    return new MockReply(
        tokens, null, List.of(), ending, null, 0, null, null, null, null, null, null, null);
  }

  /** The text, streamed word by word (each word with its following whitespace). */
  public static MockReply text(String text) {
    return of(MockProvider.split(text), Ending.END);
  }

  /** These tokens, in order, then a normal end. */
  public static MockReply tokens(String... tokens) {
    return of(List.of(tokens), Ending.END);
  }

  public static MockReply tokens(List<String> tokens) {
    return of(tokens, Ending.END);
  }

  /** One tool call, finish reason TOOL_CALLS; the arguments are parsed like a provider's. */
  public static MockReply toolCall(String id, String name, String argumentsJson) {
    return new MockReply(
        List.of(),
        null,
        List.of(new ToolCallSpec(id, name, argumentsJson)),
        Ending.END,
        null,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        FinishReason.TOOL_CALLS);
  }

  /** Fails with the typed exception for {@code kind}, with that kind's usual HTTP status. */
  public static MockReply failure(ErrorKind kind) {
    return failure(kind, defaultStatus(kind), null);
  }

  /** Fails with the typed exception for {@code kind}, reporting this status and server message. */
  public static MockReply failure(ErrorKind kind, int status, String message) {
    return new MockReply(
        List.of(),
        null,
        List.of(),
        Ending.FAIL,
        Objects.requireNonNull(kind),
        status,
        message,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Fails with exactly this exception. */
  public static MockReply failure(LlmException exception) {
    return new MockReply(
        List.of(),
        null,
        List.of(),
        Ending.FAIL,
        exception.kind(),
        exception.status(),
        null,
        exception,
        null,
        null,
        null,
        null,
        null);
  }

  /** Fails as a refused connection would: a {@link core.llm.common.ConnectionException}. */
  public static MockReply connectionRefused() {
    return of(List.of(), Ending.REFUSE);
  }

  /** Streams the tokens, then a {@link core.llm.common.StreamErrorException} with this message. */
  public static MockReply midStreamError(List<String> tokensBefore, String message) {
    return new MockReply(
        tokensBefore,
        null,
        List.of(),
        Ending.MID_STREAM_ERROR,
        ErrorKind.STREAM_ERROR,
        0,
        message,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Streams the tokens, then ends without the end marker: an IncompleteStreamException. */
  public static MockReply cutStream(List<String> tokensBefore) {
    return of(tokensBefore, Ending.CUT);
  }

  /** Sends nothing at all until the stream is cancelled (a chat() future never completes). */
  public static MockReply stall() {
    return of(List.of(), Ending.STALL);
  }

  /** Sends nothing; after {@code limit} fails with a first-byte LlmTimeoutException. */
  public static MockReply stall(Duration limit) {
    return new MockReply(
        List.of(),
        null,
        List.of(),
        Ending.STALL,
        ErrorKind.TIMEOUT,
        0,
        null,
        null,
        null,
        Objects.requireNonNull(limit),
        null,
        null,
        null);
  }

  /** Streams the tokens, then holds the stream open until it is cancelled. */
  public static MockReply tokensThenStall(List<String> tokens) {
    return of(tokens, Ending.STALL);
  }

  /** Reports this usage instead of the simple word count. */
  public MockReply withUsage(int prompt, int completion) {
    return new MockReply(
        tokens,
        thinking,
        toolCalls,
        ending,
        kind,
        status,
        message,
        exception,
        retryAfter,
        stallLimit,
        prompt,
        completion,
        finishReason);
  }

  /** Streams this reasoning text before the content. */
  public MockReply withThinking(String value) {
    return new MockReply(
        tokens,
        value,
        toolCalls,
        ending,
        kind,
        status,
        message,
        exception,
        retryAfter,
        stallLimit,
        promptTokens,
        completionTokens,
        finishReason);
  }

  /** Adds another tool call to a tool-call reply. */
  public MockReply andToolCall(String id, String name, String argumentsJson) {
    List<ToolCallSpec> calls = new ArrayList<>(toolCalls);
    calls.add(new ToolCallSpec(id, name, argumentsJson));
    return new MockReply(
        tokens,
        thinking,
        calls,
        ending,
        kind,
        status,
        message,
        exception,
        retryAfter,
        stallLimit,
        promptTokens,
        completionTokens,
        FinishReason.TOOL_CALLS);
  }

  /** The finish reason of a normal end (default STOP, or TOOL_CALLS for tool calls). */
  public MockReply withFinishReason(FinishReason value) {
    return new MockReply(
        tokens,
        thinking,
        toolCalls,
        ending,
        kind,
        status,
        message,
        exception,
        retryAfter,
        stallLimit,
        promptTokens,
        completionTokens,
        value);
  }

  /** The Retry-After a failure reports (rate limits, overload). */
  public MockReply withRetryAfter(Duration value) {
    return new MockReply(
        tokens,
        thinking,
        toolCalls,
        ending,
        kind,
        status,
        message,
        exception,
        value,
        stallLimit,
        promptTokens,
        completionTokens,
        finishReason);
  }

  static int defaultStatus(ErrorKind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case UNAUTHORIZED -> 401;
      case RATE_LIMITED -> 429;
      case OVERLOADED -> 503;
      case BAD_REQUEST, CONTEXT_TOO_LONG, CAPABILITY_MISSING -> 400;
      case SERVER_ERROR -> 500;
      default -> 0;
    };
  }
}
