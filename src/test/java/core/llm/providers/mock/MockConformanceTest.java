package core.llm.providers.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorKind;
import core.llm.providers.base.ConformanceFixture;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ProviderConformanceTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/** The shared suite against {@link MockProvider}: the mock must behave like a real provider. */
class MockConformanceTest extends ProviderConformanceTest {

  @Override
  protected ConformanceFixture createFixture(Vertx vertx) {
    return new MockFixture(vertx, MockProvider.create(vertx, "mock-under-test"));
  }

  /** Scripts the mock directly; "the server" is the mock's own record of requests and cancels. */
  static final class MockFixture implements ConformanceFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx;
    private final MockProvider mock;

    MockFixture(Vertx vertx, MockProvider mock) {
      this.vertx = vertx;
      this.mock = mock;
    }

    @Override
    public LlmProvider provider() {
      return mock;
    }

    @Override
    public String chatModel() {
      return "mock-model";
    }

    @Override
    public String embeddingModel() {
      return "mock-embed";
    }

    @Override
    public void nextReplyTokens(List<String> tokens, int promptTokens, int completionTokens) {
      mock.nextReply(MockReply.tokens(tokens).withUsage(promptTokens, completionTokens));
    }

    @Override
    public void nextReplyToolCall(String id, String name, String argumentsJson) {
      mock.nextReply(MockReply.toolCall(id, name, argumentsJson));
    }

    @Override
    public void nextReplyText(String text) {
      mock.nextReply(MockReply.text(text));
    }

    @Override
    public void nextFailure(ErrorKind kind) {
      MockReply reply = MockReply.failure(kind);
      mock.nextReply(
          kind == ErrorKind.RATE_LIMITED ? reply.withRetryAfter(Duration.ofSeconds(7)) : reply);
    }

    @Override
    public Duration expectedRetryAfter() {
      return Duration.ofSeconds(7);
    }

    @Override
    public void nextMidStreamError(List<String> tokensBefore, String message) {
      mock.nextReply(MockReply.midStreamError(tokensBefore, message));
    }

    @Override
    public void nextCutStream(List<String> tokensBefore) {
      mock.nextReply(MockReply.cutStream(tokensBefore));
    }

    @Override
    public void nextStall() {
      mock.nextReply(MockReply.stall());
    }

    @Override
    public void nextTokensThenStall(List<String> tokens) {
      mock.nextReply(MockReply.tokensThenStall(tokens));
    }

    @Override
    public LlmProvider unreachableProvider() {
      return MockProvider.create(vertx, "mock-down").refuseConnections(true);
    }

    /** Completes once the mock has seen a stream cancelled (polled: the mock has no callback). */
    @Override
    public Future<Void> clientClosed(Duration within) {
      Promise<Void> promise = Promise.promise();
      long deadline = System.nanoTime() + within.toNanos();
      vertx.setPeriodic(
          5,
          id -> {
            if (mock.cancellations() > 0) {
              vertx.cancelTimer(id);
              promise.tryComplete();
            } else if (System.nanoTime() > deadline) {
              vertx.cancelTimer(id);
              promise.tryFail("no stream was cancelled within " + within);
            }
          });
      return promise.future();
    }

    /** The recorded request as JSON (the mock has no wire format of its own). */
    @Override
    public JsonNode lastRequestBody() {
      CompletionRequest last = mock.lastRequest();
      return last == null ? null : JSON.valueToTree(last);
    }

    @Override
    public Future<Void> close() {
      return mock.close();
    }
  }
}
