package corellm.bench;

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
import core.llm.factory.LlmProviderFactory;
import core.llm.factory.ProviderContext;
import core.llm.factory.ProviderCreator;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Overhead of the factory per request (providerForModel, and a routed chat against a provider that
 * answers at once) and the time a reload takes until the next request sees it. Run with
 * bench/run.sh. Single-threaded, after warm-up; a rough number, not a JMH study.
 */
public class FactoryBench {
  static final CompletionResult OK =
      new CompletionResult("p", "m", ChatMessage.assistant("ok"), FinishReason.STOP, null);

  /** A provider whose chat completes immediately: what is measured is the factory around it. */
  static final class Instant implements LlmProvider {
    final String name;

    Instant(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    public String type() {
      return "instant";
    }

    public Set<Capability> capabilities() {
      return Set.of(Capability.CHAT);
    }

    public Future<CompletionResult> chat(CompletionRequest r) {
      return Future.succeededFuture(OK);
    }

    public ResponseStream<CompletionDelta, CompletionResult> chatStream(CompletionRequest r) {
      throw new UnsupportedOperationException();
    }

    public Future<EmbeddingResult> embed(EmbeddingRequest r) {
      throw new UnsupportedOperationException();
    }

    public Future<List<ModelInfo>> listModels() {
      return Future.succeededFuture(List.of());
    }

    public Future<HealthStatus> health() {
      throw new UnsupportedOperationException();
    }

    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  static String yaml(int rev) {
    return "reload: { watch: false }\ndefaultProvider: a\nproviders:\n"
        + "  - { name: a, type: instant, models: [llama3.2, mistral], options: { rev: "
        + rev
        + " } }\n"
        + "  - { name: b, type: instant, models: [llama3.2] }\n"
        + "modelMapping: { qwen: b }\naliases: { fast: llama3.2 }\nfallback: [b]\n";
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Path file = Files.createTempFile("llm-bench", ".yaml");
    Files.writeString(file, yaml(0));
    ProviderCreator creator =
        new ProviderCreator() {
          public String type() {
            return "instant";
          }

          public LlmProvider create(ProviderContext ctx) {
            return new Instant(ctx.name());
          }
        };
    ProviderConfigManager configs =
        ProviderConfigManager.create(vertx, file, Map.of(), Set.of("instant"));
    configs.start().await();
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, configs).creator(creator).build();
    LlmProvider router = factory.router();
    CompletionRequest req = CompletionRequest.builder("fast").user("hi").build();

    int n = 2_000_000;
    for (int i = 0; i < n; i++) { // warm-up
      factory.providerForModel("llama3.2");
      router.chat(req);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (factory.providerForModel("llama3.2").result() == null) throw new AssertionError();
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (router.chat(req).result() == null) throw new AssertionError();
    }
    long t2 = System.nanoTime();
    System.out.printf("providerForModel:           %.2f us/op%n", (t1 - t0) / 1e3 / n);
    System.out.printf("router().chat (routing+call): %.2f us/op%n", (t2 - t1) / 1e3 / n);

    int reloads = 200;
    long total = 0;
    for (int i = 1; i <= reloads; i++) {
      Files.writeString(file, yaml(i));
      long s = System.nanoTime();
      configs.reload().await();
      router.chat(req).await(); // the first request after it creates the replacement
      total += System.nanoTime() - s;
    }
    System.out.printf(
        "reload (read, parse, validate, swap, first request): %.2f ms avg over %d%n",
        total / 1e6 / reloads, reloads);
    factory.close().await();
    configs.stop().await();
    vertx.close().await();
  }
}
