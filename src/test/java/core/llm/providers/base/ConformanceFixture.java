package core.llm.providers.base;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ErrorKind;
import core.llm.common.ToolCall;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What the shared provider conformance suite needs from one provider under test: the provider
 * itself, wired to a fake server (or script) this fixture controls. Each {@code next...} call
 * scripts the NEXT request the provider sends.
 */
public interface ConformanceFixture {

  LlmProvider provider();

  String chatModel();

  String embeddingModel();

  /** The next chat request (streamed or not) answers with these text tokens, then ends normally. */
  void nextReplyTokens(List<String> tokens, int promptTokens, int completionTokens);

  /** The next chat request answers with one tool call (arguments as a JSON object text). */
  void nextReplyToolCall(String id, String name, String argumentsJson);

  /** The next chat request answers with this text as its content (for structured output). */
  void nextReplyText(String text);

  /** The next request fails the way this provider expresses {@code kind} (HTTP status and body). */
  void nextFailure(ErrorKind kind);

  /** The next stream sends these tokens, then reports an error in the stream (after status 200). */
  void nextMidStreamError(List<String> tokensBefore, String message);

  /**
   * The next stream sends these tokens, then the connection ends cleanly without the end marker.
   */
  void nextCutStream(List<String> tokensBefore);

  /** The next request gets no reply at all (no headers) until the client gives up. */
  void nextStall();

  /** Completes when the server sees the client close the connection of the stalled/open request. */
  Future<Void> clientClosed(Duration within);

  /** The body of the last request the provider sent, as JSON. */
  JsonNode lastRequestBody();

  /** Stops the fake server and closes the provider. */
  Future<Void> close();

  // ---- Added for the shared suite; defaults keep existing fixtures compiling. ----

  /**
   * The next stream sends these tokens, then keeps the connection open (no end marker, no close)
   * until the client closes it; {@link #clientClosed} then completes. Default: the tests that need
   * it are skipped (aborted), not failed.
   */
  default void nextTokensThenStall(List<String> tokens) {
    Assumptions.abort("fixture does not implement nextTokensThenStall");
  }

  /**
   * A second provider of the same type configured for an address where nothing listens (a closed
   * local port); the suite closes it. Its errors should name the URL. Default: skipped.
   */
  default LlmProvider unreachableProvider() {
    return Assumptions.abort("fixture does not implement unreachableProvider");
  }

  /**
   * Provider-specific checks of the follow-up request of a tool round trip: {@code body} must carry
   * the assistant turn with {@code call} and the tool result {@code result} answering it, in this
   * provider's wire format. The suite has already checked, provider-neutrally, that the call id,
   * the arguments and the result appear in the body. Default: no extra check.
   */
  default void verifyToolRoundTrip(JsonNode body, ToolCall call, String result) {}

  /** The API key the provider is configured with, so the suite checks no error message leaks it. */
  default String apiKey() {
    return null;
  }

  /**
   * The Retry-After that {@code nextFailure(RATE_LIMITED)} sends, or null if the provider's failure
   * carries none.
   */
  default Duration expectedRetryAfter() {
    return null;
  }
}
