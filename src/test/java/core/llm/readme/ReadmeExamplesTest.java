package core.llm.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import core.llm.common.CompletionRequest;
import core.llm.factory.LlmProviderFactory;
import core.llm.inject.LlmModule;
import core.llm.inject.LlmService;
import core.llm.inject.LlmSettings;
import core.llm.providers.base.Timeouts;
import core.llm.providers.ollama.LifecycleOptions;
import core.llm.providers.ollama.ModelLifecycle;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.PullPolicy;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.EmbedRequest;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.ProcessModel;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples, run as written against the fake Ollama server. */
@Timeout(30)
class ReadmeExamplesTest {
  private Vertx vertx;
  private FakeOllamaServer server;
  private OllamaClient ollama;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = FakeOllamaServer.start(vertx).await();
    server.addModel(
        FakeModel.named("llama3.2")
            .capabilities("completion")
            .reply("Because of Rayleigh scattering."));
    server.addModel(FakeModel.embedding("nomic-embed-text"));
    ollama =
        OllamaClient.create(
            vertx,
            new OllamaClientOptions()
                .setBaseUrl(server.baseUrl())
                .setFirstByteTimeout(Duration.ofMinutes(15))
                .setIdleTimeout(Duration.ofMinutes(2)));
  }

  @AfterEach
  void stop() {
    ollama.close().await();
    server.close().await();
    vertx.close().await();
  }

  @Test
  void chatGenerateEmbed() {
    var reply =
        ollama
            .chat(
                ChatRequest.builder("llama3.2")
                    .message(Message.system("Answer in one sentence."))
                    .message(Message.user("Why is the sky blue?"))
                    .build())
            .await();
    assertEquals("Because of Rayleigh scattering.", reply.message().content());
    var generated =
        ollama
            .generate(GenerateRequest.builder("llama3.2").prompt("Once upon a time").build())
            .await();
    assertTrue(generated.response().length() > 0);
    var embedded =
        ollama
            .embed(
                EmbedRequest.builder("nomic-embed-text").input(List.of("first", "second")).build())
            .await();
    assertEquals(2, embedded.embeddings().length);
  }

  @Test
  void stream() {
    var stream =
        ollama.chatStream(ChatRequest.builder("llama3.2").message(Message.user("Hi")).build());
    StringBuilder printed = new StringBuilder();
    Promise<Void> ended = Promise.promise();
    stream
        .handler(chunk -> printed.append(chunk.message().content()))
        .exceptionHandler(ended::fail)
        .endHandler(ended::complete);
    ended.future().await();
    assertEquals("Because of Rayleigh scattering.", printed.toString());
    assertTrue(stream.result().await().evalCount() > 0);
  }

  @Test
  void perRequestTimeoutsAndModels() {
    OllamaClient quick = ollama.with(Timeouts.none().withFirstByte(Duration.ofSeconds(30)), null);
    assertEquals(
        "stop",
        quick
            .chat(ChatRequest.builder("llama3.2").message(Message.user("Hi")).build())
            .await()
            .doneReason());
    server.publish(FakeModel.named("qwen3:8b"));
    ModelLifecycle models = ModelLifecycle.create(vertx, ollama, new LifecycleOptions());
    List<ProcessModel> running =
        models
            .ensureAvailable("qwen3:8b", PullPolicy.IF_MISSING, progress -> {})
            .compose(m -> models.pin("qwen3:8b"))
            .compose(loaded -> models.running())
            .await();
    assertEquals("qwen3:8b", running.get(0).name());
  }

  /** The README's first YAML block that contains {@code marker}. */
  private static String yamlBlock(String readme, String marker) {
    int at = 0;
    while ((at = readme.indexOf("```yaml\n", at)) >= 0) {
      int start = at + "```yaml\n".length();
      String block = readme.substring(start, readme.indexOf("```", start));
      if (block.contains(marker)) {
        return block;
      }
      at = start;
    }
    throw new AssertionError("no YAML block of the README contains " + marker);
  }

  @Test
  void theReadmeClusterSectionParsesAsWritten() {
    // a fragment: added to the README's configuration, as a user would
    String yaml =
        yamlBlock(readmeText(), "aliases: { fast: llama3.2:1b }")
            + yamlBlock(readmeText(), "cluster:");
    core.llm.providers.config.GatewayConfig.Cluster cluster =
        core.llm.providers.config.ConfigLoader.create(java.util.Map.of(), null)
            .parse(yaml, core.llm.providers.config.ConfigFormat.YAML)
            .orThrow()
            .gateway()
            .cluster();
    assertTrue(cluster.enabled());
    assertEquals("10.0.0.5", cluster.host());
    assertEquals(3, cluster.members().size());
  }

  private static String readmeText() {
    try {
      return Files.readString(Path.of("README.md"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theReadmeConfigurationWorksVerbatimWithoutAnOpenAiKey() throws Exception {
    // The README's configuration block, as written (only the Ollama address points at the fake
    // server), with OPENAI_API_KEY unset: the openai provider is unavailable, the rest works.
    String readme = Files.readString(Path.of("README.md"));
    String yaml = yamlBlock(readme, "aliases: { fast: llama3.2:1b }");
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, yaml.replace("http://127.0.0.1:11434", server.baseUrl()));
    server.addModel(
        FakeModel.named("llama3.2:1b").capabilities("completion").reply("Hi from the small one."));
    var configs =
        core.llm.providers.config.ProviderConfigManager.create(
            vertx, file, java.util.Map.of(), null);
    configs.start().await();
    LlmProviderFactory factory = LlmProviderFactory.builder(vertx, configs).build();
    try {
      for (String model : List.of("fast", "llama3.2:1b")) {
        var result =
            factory.router().chat(CompletionRequest.builder(model).user("Hello").build()).await();
        assertEquals("ollama", result.provider(), model);
        assertEquals("Hi from the small one.", result.content(), model);
        assertEquals("ollama", factory.route(model, null).providers().get(0), model);
      }
      Throwable noKey =
          org.junit.jupiter.api.Assertions.assertThrows(
              Exception.class, () -> factory.provider("openai").await());
      assertTrue(noKey.getMessage().contains("OPENAI_API_KEY is not set"), noKey.getMessage());
    } finally {
      factory.close().await();
      configs.stop().await();
    }
  }

  @Test
  void factoryThroughGuice() throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(
        file,
        """
        defaultProvider: ollama
        providers:
          - name: ollama
            type: ollama
            baseUrl: %s
            models: [llama3.2, qwen3:8b]
            timeouts: { connect: 5s, firstByte: 10m, idle: 2m }
            options:
              lifecycle: { warm: [llama3.2], idleTimeout: 30m, maxLoaded: 2 }
        aliases: { fast: llama3.2 }
        fallback: [ollama]
        """
            .formatted(server.baseUrl()));
    Injector injector =
        Guice.createInjector(
            new LlmModule(),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), LlmSettings.class)
                    .setBinding()
                    .toInstance(
                        LlmSettings.ofFile(file)
                            .withEnv(java.util.Map.of())); // the README passes the process env
              }
            });
    LlmService service = injector.getInstance(LlmService.class);
    service.start().await();
    try {
      LlmProviderFactory factory = injector.getInstance(LlmProviderFactory.class);
      factory.start().await(); // the warm list's loads
      assertTrue(server.models().isLoaded("llama3.2"));
      var result =
          factory.router().chat(CompletionRequest.builder("fast").user("Hello").build()).await();
      assertEquals("Because of Rayleigh scattering.", result.content());
      assertTrue(result.usage().completionTokens() > 0);
    } finally {
      service.stop().await();
    }
  }
}
