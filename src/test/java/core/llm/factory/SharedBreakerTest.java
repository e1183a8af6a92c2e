package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import core.llm.common.CompletionRequest;
import core.llm.common.ErrorKind;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two factories sharing breaker news through an in-memory {@link SharedRoutingState} (what the
 * clustered one carries over the event bus, delivered at once): failures seen by either count for
 * both, and an answer after failures seen by either resets both, so two factories' breakers count
 * consecutive failures as one factory's would.
 */
@Timeout(30)
class SharedBreakerTest {
  private Vertx vertx;
  private FakeOllamaServer host;
  private ProviderConfigManager config;
  private final List<LlmProviderFactory> factories = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    host = FakeOllamaServer.start(vertx).await();
    host.addModel(FakeModel.named("llama3.2").reply("hi"));
    Path file = dir.resolve("llm.yaml");
    Files.writeString(
        file,
        """
        providers:
          - name: gpu
            type: ollama
            baseUrl: %s
        routing:
          maxAttempts: 1
          breakerFailureThreshold: 3
          breakerCooldown: 10m
        """
            .formatted(host.baseUrl()));
    config =
        ProviderConfigManager.create(vertx, file, Map.of(), BuiltInProviders.creators().keySet());
    config.start().await();
    Bus bus = new Bus();
    for (int i = 0; i < 2; i++) {
      LlmProviderFactory f =
          LlmProviderFactory.builder(vertx, config).sharedState(bus.member()).build();
      f.start().await();
      factories.add(f);
    }
  }

  @AfterEach
  void stop() {
    factories.forEach(f -> f.close().await());
    config.stop().await();
    host.close().await();
    vertx.close().await();
  }

  private Future<?> chat(int factory) {
    return factories
        .get(factory)
        .router()
        .chat(CompletionRequest.builder("llama3.2").user("hello").build());
  }

  private void fail(int factory) {
    host.script("/api/chat", Script.jsonError(503, "server busy"));
    chat(factory).otherwiseEmpty().await();
  }

  private BreakerState breaker(int factory) {
    return factories.get(factory).availableProviders().get(0).breaker();
  }

  @Test
  void failuresSeenByEitherOpenBothBreakersAtTheThreshold() {
    fail(0);
    fail(1);
    assertEquals(BreakerState.CLOSED, breaker(0));
    fail(0);
    assertEquals(BreakerState.OPEN, breaker(0), "three failures in all");
    assertEquals(BreakerState.OPEN, breaker(1), "the same three, seen from the other factory");
  }

  @Test
  void anAnswerAfterFailuresSeenByEitherResetsBoth() {
    fail(0);
    fail(0);
    chat(1).await(); // the host answers: the two failures were not consecutive after all
    fail(0);
    fail(1);
    assertEquals(BreakerState.CLOSED, breaker(0), "two consecutive failures since the answer");
    assertEquals(BreakerState.CLOSED, breaker(1));
    fail(1);
    assertEquals(BreakerState.OPEN, breaker(0));
  }

  /** Members of one in-memory cluster: what one publishes, the others hear at once. */
  private static final class Bus {
    private final List<SharedRoutingState.Member> joined = new ArrayList<>();

    SharedRoutingState member() {
      return new SharedRoutingState() {
        private SharedRoutingState.Member self;

        @Override
        public void join(Member member) {
          self = member;
          joined.add(member);
        }

        private List<Member> others() {
          return joined.stream().filter(m -> m != self).toList();
        }

        @Override
        public boolean shared() {
          return true;
        }

        @Override
        public String self() {
          return "member-" + joined.indexOf(self);
        }

        @Override
        public List<String> members() {
          return List.of(self());
        }

        @Override
        public void failure(String provider, ErrorKind kind, int status) {
          others().forEach(m -> m.remoteFailure(provider, kind, status));
        }

        @Override
        public void recovered(String provider) {
          others().forEach(m -> m.remoteRecovered(provider));
        }

        @Override
        public int remoteInFlight(String provider, String model) {
          return 0;
        }

        @Override
        public void loaded(String provider, String model) {}

        @Override
        public boolean loadedElsewhere(String provider, String model, Duration maxAge) {
          return false;
        }

        @Override
        public Future<String> claimLoad(String load, String provider, Duration ttl) {
          return Future.succeededFuture(provider);
        }

        @Override
        public void releaseLoad(String load, String provider) {}

        @Override
        public Future<Void> close() {
          return Future.succeededFuture();
        }
      };
    }
  }
}
