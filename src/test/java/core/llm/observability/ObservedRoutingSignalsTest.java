package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import core.llm.common.CompletionDelta;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.EmbeddingRequest;
import core.llm.common.EmbeddingResult;
import core.llm.common.HealthStatus;
import core.llm.common.ModelInfo;
import core.llm.common.TokenCount;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.Residency;
import core.llm.providers.base.ResponseStream;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The metrics decorator passes through what the router ranks and checks by. It used to answer with
 * the interface's defaults, so with observability on every host looked UNKNOWN to placement, every
 * digest empty (embeddings then failed over across different weights) and every count an estimate.
 */
class ObservedRoutingSignalsTest {

  /** A provider that knows everything the router asks, without I/O. */
  private static final class Knowing implements LlmProvider {
    @Override
    public String name() {
      return "gpu0";
    }

    @Override
    public String type() {
      return "ollama";
    }

    @Override
    public java.util.Set<core.llm.common.Capability> capabilities() {
      return java.util.Set.of(core.llm.common.Capability.CHAT);
    }

    @Override
    public Residency residency(String model) {
      return Residency.LOADED;
    }

    @Override
    public OptionalInt loadedContextLength(String model) {
      return OptionalInt.of(8192);
    }

    @Override
    public Future<OptionalInt> maxContextLength(String model) {
      return Future.succeededFuture(OptionalInt.of(131072));
    }

    @Override
    public Future<Optional<String>> modelDigest(String model) {
      return Future.succeededFuture(Optional.of("a80c4f17acd5"));
    }

    @Override
    public Future<TokenCount> countTokens(CompletionRequest request) {
      return Future.succeededFuture(new TokenCount(42, true, "vocabulary"));
    }

    @Override
    public Future<CompletionResult> chat(CompletionRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<EmbeddingResult> embed(EmbeddingRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<ModelInfo>> listModels() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<HealthStatus> health() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @Test
  void residencyDigestsContextsAndCountsPassThrough() {
    LlmProvider observed = Observability.create().decorate(new Knowing());
    CompletionRequest request = CompletionRequest.builder("llama3.2").user("hi").build();
    assertEquals(Residency.LOADED, observed.residency("llama3.2"));
    assertEquals(OptionalInt.of(8192), observed.loadedContextLength("llama3.2"));
    assertEquals(OptionalInt.of(131072), observed.maxContextLength("llama3.2").result());
    assertEquals(Optional.of("a80c4f17acd5"), observed.modelDigest("llama3.2").result());
    assertEquals(new TokenCount(42, true, "vocabulary"), observed.countTokens(request).result());
  }
}
