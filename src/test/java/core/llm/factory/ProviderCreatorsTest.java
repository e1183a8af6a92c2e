package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.RoutingConfig;
import core.llm.providers.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ProviderCreatorsTest {
  @TempDir Path dir;

  @Test
  void serviceLoaderFindsCreatorsForAppsWithoutGuice(Vertx vertx) throws Exception {
    Map<String, ProviderCreator> creators = ProviderCreators.discover();
    assertInstanceOf(DiscoveredCreator.class, creators.get("discovered"));
    Path file = dir.resolve("llm.json");
    Files.writeString(file, "{\"providers\": [{\"name\": \"d\", \"type\": \"discovered\"}]}");
    ProviderConfigManager configs =
        ProviderConfigManager.create(vertx, file, Map.of(), creators.keySet());
    configs.start().await();
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, configs).creators(creators).build();
    assertEquals("ok", factory.router().chat(Harness.req("anything")).await().content());
    factory.close().await();
    configs.stop().await();
  }

  @Test
  void typeWithoutCreatorNamesTheKnownTypes(Vertx vertx) throws Exception {
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, "providers: [ { name: x, type: nonesuch } ]");
    // the file passes validation (the type is declared known) but the factory has no creator for it
    ProviderConfigManager configs =
        ProviderConfigManager.create(vertx, file, Map.of(), Set.of("nonesuch"));
    configs.start().await();
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, configs).creator(new FakeCreator("fake")).build();
    Throwable t = assertThrows(Exception.class, () -> factory.provider("x").await());
    assertTrue(
        t.getMessage()
            .endsWith(
                "Unknown LLM provider type 'nonesuch'. Available: [anthropic, fake, mock, ollama, openai]"),
        t.getMessage());
    configs.stop().await();
  }

  @Test
  void builtInTypesNeedNoRegistration(Vertx vertx) throws Exception {
    // Forgetting .creators(ProviderCreators.discover()) used to give "not created: NOT_FOUND".
    Path file = dir.resolve("llm.yaml");
    Files.writeString(file, "providers: [ { name: m, type: mock, models: [echo] } ]");
    ProviderConfigManager configs = ProviderConfigManager.create(vertx, file, Map.of(), null);
    configs.start().await();
    LlmProviderFactory factory = LlmProviderFactory.builder(vertx, configs).build();
    assertEquals("m", factory.router().chat(Harness.req("echo")).await().provider());
    factory.close().await();
    configs.stop().await();
  }

  @Test
  void contextToStringHidesTheKey(Vertx vertx) {
    ProviderContext ctx =
        new ProviderContext(
            vertx, ProviderConfig.of("n", "t", null), Optional.of(Secret.of("s3cr3t")));
    assertFalse(ctx.toString().contains("s3cr3t"));
    assertTrue(ctx.toString().contains("apiKey=present"));
  }

  @Test
  void backoffDoublesCapsAndHonoursRetryAfter() {
    RoutingConfig rc =
        new RoutingConfig(
            5, Duration.ofMillis(100), Duration.ofMillis(350), 5, Duration.ofSeconds(1));
    assertEquals(Duration.ofMillis(99), Backoff.delay(1, rc, null, () -> 0.99));
    assertEquals(Duration.ofMillis(100), Backoff.delay(2, rc, null, () -> 0.0));
    assertEquals(
        Duration.ofMillis(175),
        Backoff.delay(3, rc, null, () -> 0.0),
        "capped at 350 before jitter");
    assertEquals(Duration.ofSeconds(3), Backoff.delay(1, rc, Duration.ofSeconds(3), () -> 0.5));
    assertEquals(Duration.ofMillis(175), Backoff.delay(40, rc, null, () -> 0.0), "no overflow");
  }
}
