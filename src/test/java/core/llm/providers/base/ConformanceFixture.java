package core.llm.providers.base;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ErrorKind;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * What the shared provider conformance suite needs from one provider under test: the provider
 * itself, wired to a fake server (or script) this fixture controls. Each {@code next...} call
 * scripts the NEXT request the provider sends.
 */
public interface ConformanceFixture {

  LLMProvider provider();

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

  /** The next stream sends these tokens, then the connection ends cleanly without the end marker. */
  void nextCutStream(List<String> tokensBefore);

  /** The next request gets no reply at all (no headers) until the client gives up. */
  void nextStall();

  /** Completes when the server sees the client close the connection of the stalled/open request. */
  Future<Void> clientClosed(Duration within);

  /** The body of the last request the provider sent, as JSON. */
  JsonNode lastRequestBody();

  /** Stops the fake server and closes the provider. */
  Future<Void> close();
}
