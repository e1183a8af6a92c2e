package core.llm.factory;

import core.llm.common.CompletionRequest;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * A started config manager on a YAML file, a factory with fake creators, a manual clock and
 * recorded events.
 */
final class Harness implements AutoCloseable {
  final Vertx vertx;
  final Path file;
  final FakeCreator fakes = new FakeCreator("fake");
  final ManualClock clock = new ManualClock();
  final List<RoutingEvent> events = new CopyOnWriteArrayList<>();
  final ProviderConfigManager configs;
  final LlmProviderFactoryImpl factory;

  Harness(Vertx vertx, Path dir, String yaml, Map<String, String> env, DoubleSupplier random)
      throws IOException {
    this.vertx = vertx;
    this.file = dir.resolve("llm.yaml");
    Files.writeString(file, yaml);
    configs = ProviderConfigManager.create(vertx, file, env, Set.of("fake"));
    configs.start().await();
    factory =
        (LlmProviderFactoryImpl)
            LlmProviderFactory.builder(vertx, configs)
                .creator(fakes)
                .secrets(core.llm.providers.config.SecretResolver.fromEnv(env::get))
                .clock(clock)
                .random(random)
                .listener(events::add)
                .build();
  }

  Harness(Vertx vertx, Path dir, String yaml) throws IOException {
    this(vertx, dir, yaml, Map.of(), () -> 0.0);
  }

  /** Rewrites the file and reloads now (instead of waiting for the poll). */
  void rewrite(String yaml) throws IOException {
    Files.writeString(file, yaml);
    configs.reload().await();
  }

  static CompletionRequest req(String model) {
    return CompletionRequest.builder(model).user("hi").build();
  }

  List<RoutingEvent.Type> eventTypes() {
    return events.stream().map(RoutingEvent::type).toList();
  }

  @Override
  public void close() {
    factory.close().await();
    configs.stop().await();
  }
}
