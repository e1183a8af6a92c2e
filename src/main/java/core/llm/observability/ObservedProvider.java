package core.llm.observability;

import core.llm.common.Capability;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.common.Role;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ModelControl;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The decorator {@link Observability#decorate} returns: times every call, and hands its outcome to
 * the metrics, usage totals, request log, health tracker and request listeners. Structured output
 * goes through {@link #chat} (the interface's default methods call it), so it is observed as a
 * chat. Behaviour is otherwise the delegate's: same name, results, errors, back-pressure.
 */
final class ObservedProvider implements LlmProvider {
  private final LlmProvider delegate;
  private final Observability obs;

  ObservedProvider(LlmProvider delegate, Observability obs) {
    this.delegate = delegate;
    this.obs = obs;
  }

  Observability observability() {
    return obs;
  }

  /** The wrapped provider. */
  LlmProvider delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String type() {
    return delegate.type();
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    RequestContext ctx = obs.start(delegate, request.model(), Operation.CHAT);
    return call(() -> delegate.chat(request))
        .andThen(
            ar ->
                obs.finish(
                    ctx,
                    ar.cause(),
                    true,
                    ar.succeeded() ? ar.result().usage() : null,
                    0,
                    0,
                    prompt(request),
                    ar.succeeded() && obs.logContent() ? ar.result().content() : null));
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    RequestContext ctx = obs.start(delegate, request.model(), Operation.STREAM);
    ResponseStream<CompletionDelta, CompletionResult> source;
    try {
      source = delegate.chatStream(request);
    } catch (RuntimeException e) {
      obs.finish(ctx, e, true, null, 0, 0, prompt(request), null);
      throw e;
    }
    return new ObservedStream<>(source, obs, ctx, prompt(request), ObservedStream::hasTokens);
  }

  @Override
  public ResponseStream<core.llm.providers.base.StreamPiece, CompletionResult> relayStream(
      CompletionRequest request, core.llm.providers.base.WireFormat format) {
    RequestContext ctx = obs.start(delegate, request.model(), Operation.STREAM);
    ResponseStream<core.llm.providers.base.StreamPiece, CompletionResult> source;
    try {
      source = delegate.relayStream(request, format);
    } catch (RuntimeException e) {
      obs.finish(ctx, e, true, null, 0, 0, prompt(request), null);
      throw e;
    }
    return new ObservedStream<>(source, obs, ctx, prompt(request), ObservedStream::hasTokens);
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    RequestContext ctx = obs.start(delegate, request.model(), Operation.EMBED);
    return call(() -> delegate.embed(request))
        .andThen(
            ar ->
                obs.finish(
                    ctx,
                    ar.cause(),
                    true,
                    ar.succeeded() ? ar.result().usage() : null,
                    0,
                    0,
                    null,
                    null));
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    RequestContext ctx = obs.start(delegate, null, Operation.LIST_MODELS);
    return call(delegate::listModels)
        .andThen(ar -> obs.finish(ctx, ar.cause(), true, null, 0, 0, null, null));
  }

  @Override
  public Future<HealthStatus> health() {
    RequestContext ctx = obs.start(delegate, null, Operation.HEALTH);
    return call(delegate::health)
        .andThen(
            ar ->
                obs.finish(
                    ctx,
                    ar.cause(),
                    ar.failed() || ar.result() == null || ar.result().up(),
                    null,
                    0,
                    0,
                    null,
                    null));
  }

  @Override
  public Optional<ModelControl> modelControl() {
    return delegate.modelControl();
  }

  // What the router ranks and checks by passes straight through: a decorator that answered with
  // the interface's defaults would hide every host's residency and every model's digest.

  @Override
  public core.llm.providers.base.Residency residency(String model) {
    return delegate.residency(model);
  }

  @Override
  public java.util.OptionalInt loadedContextLength(String model) {
    return delegate.loadedContextLength(model);
  }

  @Override
  public Future<java.util.OptionalInt> maxContextLength(String model) {
    return delegate.maxContextLength(model);
  }

  @Override
  public Future<Optional<String>> modelDigest(String model) {
    return delegate.modelDigest(model);
  }

  @Override
  public Future<core.llm.common.TokenCount> countTokens(CompletionRequest request) {
    return call(() -> delegate.countTokens(request));
  }

  @Override
  public Future<Void> start() {
    return delegate.start();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public String toString() {
    return "Observed[" + delegate + "]";
  }

  private static <T> Future<T> call(Supplier<Future<T>> f) {
    try {
      Future<T> out = f.get();
      return out != null
          ? out
          : Future.failedFuture(new NullPointerException("provider returned null"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The last user message, only when content logging is on (nothing is computed otherwise). */
  private String prompt(CompletionRequest request) {
    if (!obs.logContent()) {
      return null;
    }
    List<ChatMessage> messages = request.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Role.USER) {
        return messages.get(i).content();
      }
    }
    return null;
  }

  @Override
  public <T> java.util.Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : delegate.unwrap(type);
  }
}
