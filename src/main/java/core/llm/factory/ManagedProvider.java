package core.llm.factory;

import core.llm.common.Capability;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.HealthStatus;
import core.llm.common.LlmException;
import core.llm.common.ModelInfo;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ModelControl;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.base.StreamPiece;
import core.llm.providers.base.WireFormat;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@link LlmProviderFactory#provider} hands out: the provider instance behind a thin handle
 * that counts in-flight calls (so a reload drains before closing) and, once a reload retired this
 * instance, forwards new calls to the replacement. No retries, no breaker: a direct call is direct.
 * {@link #close()} does nothing: the factory owns the instance.
 */
final class ManagedProvider implements LlmProvider {
  private final LlmProviderFactoryImpl factory;
  private final Slot slot;

  ManagedProvider(LlmProviderFactoryImpl factory, Slot slot) {
    this.factory = factory;
    this.slot = slot;
  }

  /** The provider instance (tests compare identities). */
  LlmProvider delegate() {
    return slot.instance();
  }

  @Override
  public String name() {
    return slot.config.name();
  }

  @Override
  public String type() {
    return slot.config.type();
  }

  @Override
  public Set<Capability> capabilities() {
    return slot.instance().capabilities();
  }

  @Override
  public core.llm.providers.base.Residency residency(String model) {
    return slot.instance().residency(model);
  }

  @Override
  public Future<core.llm.common.TokenCount> countTokens(CompletionRequest request) {
    return slot.instance().countTokens(request);
  }

  @Override
  public Future<java.util.Optional<String>> modelDigest(String model) {
    return slot.instance().modelDigest(model);
  }

  @Override
  public java.util.OptionalInt loadedContextLength(String model) {
    return slot.instance().loadedContextLength(model);
  }

  @Override
  public Future<java.util.OptionalInt> maxContextLength(String model) {
    return slot.instance().maxContextLength(model);
  }

  @Override
  public Future<CompletionResult> chat(CompletionRequest request) {
    return call(p -> p.chat(request));
  }

  @Override
  public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
    return stream(request, p -> p.chatStream(request), ManagedProvider::chatStream);
  }

  @Override
  public ResponseStream<StreamPiece, CompletionResult> relayStream(
      CompletionRequest request, WireFormat format) {
    return stream(request, p -> p.relayStream(request, format), (m, r) -> m.relayStream(r, format));
  }

  /** A stream on this handle's lease; once retired by a reload, on the replacement's. */
  private <T> ResponseStream<T, CompletionResult> stream(
      CompletionRequest request,
      Function<LlmProvider, ResponseStream<T, CompletionResult>> open,
      java.util.function.BiFunction<
              ManagedProvider, CompletionRequest, ResponseStream<T, CompletionResult>>
          onReplacement) {
    Lease lease = factory.directLease(slot);
    if (lease == null) { // retired by a reload: the replacement takes it
      try {
        return onReplacement.apply(replacement(), request);
      } catch (LlmException e) {
        return new RoutedStream<>(single(null, e, request.model()), open);
      }
    }
    return new RoutedStream<>(single(lease, null, request.model()), open);
  }

  @Override
  public Future<EmbeddingResult> embed(EmbeddingRequest request) {
    return call(p -> p.embed(request));
  }

  @Override
  public Future<List<ModelInfo>> listModels() {
    return call(LlmProvider::listModels);
  }

  @Override
  public Future<HealthStatus> health() {
    return call(LlmProvider::health);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public String toString() {
    return "ManagedProvider[" + name() + ", type=" + type() + "]";
  }

  /**
   * The current instance's load/unload control, through this handle: each call holds a lease like
   * any request, so a reload drains it and a retired handle forwards to the replacement.
   */
  @Override
  public java.util.Optional<ModelControl> modelControl() {
    if (slot.instance().modelControl().isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new ModelControl() {
          @Override
          public Future<Void> load(String model) {
            return control(c -> c.load(model));
          }

          @Override
          public Future<Void> load(String model, java.util.Map<String, Object> options) {
            return control(c -> c.load(model, options));
          }

          @Override
          public Future<Void> unload(String model) {
            return control(c -> c.unload(model));
          }

          @Override
          public Future<List<String>> loadedModels() {
            return control(ModelControl::loadedModels);
          }

          @Override
          public Future<Void> ensureAvailable(String model) {
            return control(c -> c.ensureAvailable(model));
          }
        });
  }

  private <T> Future<T> control(Function<ModelControl, Future<T>> f) {
    return call(
        p ->
            p.modelControl()
                .map(f)
                .orElseGet(
                    () ->
                        Future.failedFuture(
                            new core.llm.common.CapabilityMissingException(
                                "Provider '"
                                    + name()
                                    + "' no longer offers model load/unload control after a reload",
                                "model lifecycle",
                                core.llm.common.ErrorContext.of(name(), null)))));
  }

  private <T> Future<T> call(Function<LlmProvider, Future<T>> f) {
    Lease lease = factory.directLease(slot);
    if (lease == null) {
      try {
        return replacement().call(f);
      } catch (LlmException e) {
        return Future.failedFuture(e);
      }
    }
    Future<T> out;
    try {
      out = f.apply(lease.provider);
    } catch (RuntimeException e) {
      out = Future.failedFuture(e);
    }
    return out.andThen(ar -> lease.release());
  }

  /** The handle for the provider's current configuration (this one was retired by a reload). */
  private ManagedProvider replacement() {
    ManagedProvider p = factory.handle(name());
    if (p == this) {
      throw new ProviderNotFoundException(name(), List.of());
    }
    return p;
  }

  /** A leg source with exactly one attempt and no retry. */
  private static LegSource single(Lease lease, LlmException error, String model) {
    return new LegSource() {
      @Override
      public Future<Lease> next(LlmException failure) {
        if (failure == null && error != null) {
          return Future.failedFuture(error);
        }
        return failure == null ? Future.succeededFuture(lease) : Future.failedFuture(failure);
      }

      @Override
      public String model() {
        return model;
      }
    };
  }

  @Override
  public <T> java.util.Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this)
        ? java.util.Optional.of(type.cast(this))
        : slot.instance().unwrap(type);
  }
}
