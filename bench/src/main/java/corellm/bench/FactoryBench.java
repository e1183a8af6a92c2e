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

    /** Hosts named gpuN report the model loaded on every fourth, installed on the others. */
    public core.llm.providers.base.Residency residency(String model) {
      if (!name.startsWith("gpu")) {
        return core.llm.providers.base.Residency.UNKNOWN;
      }
      return Integer.parseInt(name.substring(3)) % 4 == 0
          ? core.llm.providers.base.Residency.LOADED
          : core.llm.providers.base.Residency.INSTALLED;
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

  /** 16 equal candidates for one model: placement ranks them all on every request. */
  static String sixteen() {
    StringBuilder y =
        new StringBuilder("reload: { watch: false }\ndefaultProvider: gpu0\nproviders:\n");
    for (int i = 0; i < 16; i++) {
      y.append("  - { name: gpu")
          .append(i)
          .append(", type: instant, models: [llama3.2], weight: ")
          .append(1 + i % 3)
          .append(", options: { parallel: 2 } }\n");
    }
    return y.toString();
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

    // 16 candidates: resolution, placement (residency, in-flight, breaker per candidate), the
    // weighted order and the call, per request
    Path file16 = Files.createTempFile("llm-bench16", ".yaml");
    Files.writeString(file16, sixteen());
    ProviderConfigManager configs16 =
        ProviderConfigManager.create(vertx, file16, Map.of(), Set.of("instant"));
    configs16.start().await();
    LlmProviderFactory factory16 =
        LlmProviderFactory.builder(vertx, configs16).creator(creator).build();
    factory16.start().await(); // every provider created, so placement reads each one
    LlmProvider router16 = factory16.router();
    CompletionRequest req16 = CompletionRequest.builder("llama3.2").user("hi").build();
    int n16 = 500_000;
    for (int i = 0; i < n16; i++) {
      router16.chat(req16);
    }
    long t3 = System.nanoTime();
    for (int i = 0; i < n16; i++) {
      if (router16.chat(req16).result() == null) throw new AssertionError();
    }
    long t4 = System.nanoTime();
    System.out.printf(
        "router().chat with 16 equal candidates:  %.2f us/op%n", (t4 - t3) / 1e3 / n16);
    factory16.close().await();
    configs16.stop().await();

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
