package core.llm.factory;

import core.llm.common.Capability;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.FinishReason;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable provider for routing tests. Each call takes the next {@link Script} of its name from
 * the shared {@link FakeCreator} queue (so a replacement instance continues the same script), or
 * replies "ok" when the queue is empty. Counts calls and closes; a call after close fails the test.
 */
final class FakeProvider implements LlmProvider {
  final String name;
  final String type;
  final ProviderContext ctx;
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final AtomicInteger callsAfterClose = new AtomicInteger();
  final ConcurrentLinkedQueue<String> models = new ConcurrentLinkedQueue<>();
  private final Vertx vertx;
  private final ConcurrentLinkedQueue<Script> scripts;

  private final java.util.function.LongSupplier defaultDelayMs;

  FakeProvider(
      ProviderContext ctx,
      ConcurrentLinkedQueue<Script> scripts,
      java.util.function.LongSupplier defaultDelayMs) {
    this.defaultDelayMs = defaultDelayMs;
    this.ctx = ctx;
    this.name = ctx.config().name();
    this.type = ctx.config().type();
    this.vertx = ctx.vertx();
    this.scripts = scripts;
  }

  private Script next(String model) {
    calls.incrementAndGet();
    models.add(model);
    if (closes.get() > 0) {
      callsAfterClose.incrementAndGet();
    }
    Script s = scripts.poll();
    return s == null ? Script.ok("o", "k").delayed(defaultDelayMs.getAsLong()) : s;
  }

  private Future<Void> ready(Script s) {
    Future<Void> gate = s.hold() == null ? Future.succeededFuture() : s.hold().future();
    if (s.delayMs() <= 0) {
      return gate;
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(s.delayMs(), id -> p.complete());
    return gate.compose(v -> p.future());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.CHAT, Capability.STREAMING);
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    Script s = next(request.model());
    return ready(s)
        .compose(
            v ->
                s.error() != null && s.failAfter() <= 0
                    ? Future.failedFuture(s.error())
                    : Future.succeededFuture(
                        new CompletionResult(
                            name,
                            request.model(),
                            ChatMessage.assistant(String.join("", s.tokens())),
                            FinishReason.STOP,
                            null)));
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    Script s = next(request.model());
    Context c = vertx.getOrCreateContext();
    return new FakeStream(c, name, s, ready(s));
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    Script s = next(request.model());
    return ready(s)
        .compose(
            v ->
                s.error() != null
                    ? Future.failedFuture(s.error())
                    : Future.succeededFuture(
                        new EmbeddingResult(
                            name, request.model(), List.of(new float[] {1f}), null)));
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    return Future.succeededFuture(List.of(new ModelInfo("m", name, null)));
  }

  @Override
  public Future<HealthStatus> health() {
    return Future.succeededFuture(new HealthStatus(true, Duration.ZERO, "fake", Instant.now()));
  }

  @Override
  public Future<Void> close() {
    closes.incrementAndGet();
    return Future.succeededFuture();
  }
}
