package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ConnectionException;
import core.llm.common.ErrorContext;
import core.llm.common.LlmException;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key planted in the environment reaches the creator and nothing else: no log, message or event.
 */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class SecretsTest {
  static final String KEY = "sk-planted-7Hq2xZ9vLm";

  @TempDir Path dir;

  @Test
  void keyGoesToTheCreatorOnlyAndNeverIntoLogsOrErrors(Vertx vertx) throws Exception {
    List<String> logged = new CopyOnWriteArrayList<>();
    SimpleFormatter fmt = new SimpleFormatter();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(fmt.format(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    Level was = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(capture);
    List<String> seen = new ArrayList<>();
    try {
      Path file = dir.resolve("llm.yaml");
      Files.writeString(
          file,
          """
          defaultProvider: k
          providers:
            - { name: k, type: fake, apiKeyEnv: FAKE_KEY, models: [m] }
            - { name: boom, type: broken, apiKeyEnv: FAKE_KEY, models: [m] }
          """);
      Map<String, String> env = Map.of("FAKE_KEY", KEY);
      ProviderConfigManager configs =
          ProviderConfigManager.create(vertx, file, env, Set.of("fake", "broken"));
      configs.start().await();
      FakeCreator fakes = new FakeCreator("fake");
      ProviderCreator broken =
          new ProviderCreator() {
            @Override
            public String type() {
              return "broken";
            }

            @Override
            public LlmProvider create(ProviderContext ctx) {
              throw new IllegalStateException("rejected key " + ctx.apiKey().get().reveal());
            }
          };
      List<RoutingEvent> events = new CopyOnWriteArrayList<>();
      LlmProviderFactory factory =
          LlmProviderFactory.builder(vertx, configs)
              .creator(fakes)
              .creator(broken)
              .secrets(SecretResolver.fromEnv(env::get))
              .random(() -> 0.0) // k before boom
              .listener(events::add)
              .listener(
                  e -> {
                    throw new IllegalStateException("listener bug");
                  })
              .build();

      factory.provider("k").await();
      ProviderContext ctx = fakes.created.get(0).ctx;
      assertEquals(KEY, ctx.apiKey().orElseThrow().reveal(), "the creator gets the key");
      seen.add(ctx.toString());
      seen.add(ctx.config().toString());

      LlmException createFailure =
          (LlmException) assertThrows(Exception.class, () -> factory.provider("boom").await());
      seen.add(createFailure.getMessage());
      seen.add(createFailure.toString());

      fakes.script(
          "k", Script.fail(new ConnectionException("refused", ErrorContext.of("k", null))));
      Throwable routed =
          assertThrows(Exception.class, () -> factory.router().chat(Harness.req("m")).await());
      seen.add(routed.getMessage());
      seen.add(String.valueOf(routed.getCause()));

      Files.writeString(
          file, "providers: [ { name: k, type: fake, apiKeyEnv: FAKE_KEY, baseUrl: nope } ]");
      seen.add(configs.reload().await().toString());
      Files.writeString(
          file, "providers: [ { name: k, type: fake, apiKeyEnv: FAKE_KEY, weight: 2 } ]");
      seen.add(configs.reload().await().toString());
      events.forEach(e -> seen.add(e.toJson().encode()));
      factory.availableProviders().forEach(s -> seen.add(s.toString()));
      factory.close().await();
      configs.stop().await();
    } finally {
      root.removeHandler(capture);
      root.setLevel(was);
    }
    assertFalse(seen.isEmpty());
    assertTrue(
        logged.stream().anyMatch(l -> l.contains("listener")), "the logs were captured: " + logged);
    for (String s : seen) {
      assertFalse(s.contains(KEY), "key leaked into: " + s);
    }
    for (String l : logged) {
      assertFalse(l.contains(KEY), "key leaked into a log: " + l);
    }
  }
}
