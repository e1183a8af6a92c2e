package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorKind;
import core.llm.factory.RoutingListener;
import core.llm.inject.LlmModule;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.base.ResponseStream;
import core.llm.providers.mock.MockProvider;
import core.llm.providers.mock.MockReply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Active health probe, request listeners (tracing hooks) and the Guice module. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class HealthAndTracingTest {

  @Test
  void probeRecordsHealthAndStopLeavesNoTimer(Vertx vertx) throws Exception {
    Observability obs = Observability.builder().metrics(MetricsSink.NOOP).requestLog(false).build();
    MockProvider up = MockProvider.create(vertx, "up");
    MockProvider down = MockProvider.create(vertx, "down").refuseConnections(true);
    HealthProbe probe =
        obs.healthProbe(
            vertx, List.of(obs.decorate(up), obs.decorate(down)), Duration.ofMillis(20));
    probe.start();
    assertTrue(probe.running());
    long deadline = System.currentTimeMillis() + 5000;
    while ((obs.health().health("up").isEmpty() || obs.health().health("down").isEmpty())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    probe.stop();
    assertFalse(probe.running());
    ProviderHealth u = obs.health().health("up").orElseThrow();
    assertEquals(ProviderHealth.State.UP, u.state());
    assertNotNull(u.lastProbeAt());
    ProviderHealth d = obs.health().health("down").orElseThrow();
    assertEquals(ProviderHealth.State.DOWN, d.state());
    assertNotNull(d.lastErrorAt());

    // A round the timer began just before stop() may still be recording on the event loop: let it
    // finish, or it could land after 'before' is read and look like a probe after stop().
    Thread.sleep(100);
    ProviderHealth before = obs.health().health("up").orElseThrow();
    Thread.sleep(100); // five periods: a live timer would have probed again
    assertEquals(before.lastProbeAt(), obs.health().health("up").orElseThrow().lastProbeAt());

    down.refuseConnections(false);
    probe.probeNow().await();
    assertEquals(ProviderHealth.State.UP, obs.health().health("down").orElseThrow().state());
  }

  @Test
  void listenersSeeStartFirstTokenErrorAndEndWithTheirOwnState(Vertx vertx) {
    List<String> calls = new CopyOnWriteArrayList<>();
    RequestListener tracer =
        new RequestListener() {
          @Override
          public void onStart(RequestContext ctx) {
            ctx.attribute("span", "span-" + ctx.id());
            calls.add(
                "start " + ctx.operation().label() + " " + ctx.provider() + " " + ctx.model());
          }

          @Override
          public void onFirstToken(RequestContext ctx) {
            calls.add("first " + ctx.attribute("span").equals("span-" + ctx.id()));
          }

          @Override
          public void onError(RequestContext ctx, Throwable error) {
            calls.add("error " + error.getClass().getSimpleName());
          }

          @Override
          public void onEnd(RequestContext ctx, RequestSummary s) {
            calls.add(
                "end " + s.outcome() + " " + ctx.attribute("span").equals("span-" + ctx.id()));
          }
        };
    RequestListener faulty =
        new RequestListener() {
          @Override
          public void onStart(RequestContext ctx) {
            throw new IllegalStateException("a broken tracer");
          }
        };
    Observability obs =
        Observability.builder()
            .metrics(MetricsSink.NOOP)
            .requestLog(false)
            .listener(faulty)
            .listener(tracer)
            .build();
    MockProvider mock = MockProvider.create(vertx, "a");
    LlmProvider p = obs.decorate(mock);
    assertSame(p, obs.decorate(p), "decorating twice wraps once");

    mock.nextReply(MockReply.tokens("x", "y"), MockReply.failure(ErrorKind.OVERLOADED));
    ResponseStream<CompletionDelta, CompletionResult> s = p.chatStream(Fixture.req("m", "hi"));
    s.handler(d -> {});
    s.result().await();
    // await() returns once the result is complete, possibly while the event loop is still calling
    // the result's other listeners (ours among them)
    long deadline = System.currentTimeMillis() + 5000;
    while (calls.size() < 3 && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    try {
      p.chat(Fixture.req("m", "hi")).await();
    } catch (RuntimeException expected) {
      // overloaded
    }
    assertEquals(
        List.of(
            "start stream a m",
            "first true",
            "end success true",
            "start chat a m",
            "error OverloadedException",
            "end overloaded true"),
        calls);
  }

  @Test
  void streamReadOnlyThroughResultIsStillTimed(Vertx vertx) {
    List<RequestSummary> ends = new CopyOnWriteArrayList<>();
    Observability obs =
        Observability.builder()
            .metrics(MetricsSink.NOOP)
            .requestLog(false)
            .listener(
                new RequestListener() {
                  @Override
                  public void onEnd(RequestContext ctx, RequestSummary s) {
                    ends.add(s);
                  }
                })
            .build();
    MockProvider mock = MockProvider.create(vertx, "a");
    mock.nextReply(MockReply.tokens("a", "b", "c"));
    assertEquals(
        "abc", obs.decorate(mock).chatStream(Fixture.req("m", "hi")).result().await().content());
    long deadline = System.currentTimeMillis() + 5000;
    while (ends.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, ends.size());
    assertEquals(3, ends.get(0).chunks());
    assertNotNull(ends.get(0).timeToFirstToken());
  }

  @Test
  void guiceModuleAddsTheDecoratorAndTheRoutingListener() {
    Injector injector =
        Guice.createInjector(
            new LlmModule(),
            new ObservabilityModule(),
            new AbstractModule() {
              @Override
              protected void configure() {
                com.google.inject.multibindings.OptionalBinder.newOptionalBinder(
                        binder(), MetricsSink.class)
                    .setBinding()
                    .toInstance(MetricsSink.NOOP);
              }
            });
    Observability obs = injector.getInstance(Observability.class);
    assertSame(MetricsSink.NOOP, obs.metrics());
    Set<UnaryOperator<LlmProvider>> decorators =
        injector.getInstance(
            Key.get(new com.google.inject.TypeLiteral<Set<UnaryOperator<LlmProvider>>>() {}));
    assertTrue(decorators.contains(obs.decorator()));
    Set<RoutingListener> listeners =
        injector.getInstance(Key.get(new com.google.inject.TypeLiteral<Set<RoutingListener>>() {}));
    assertTrue(listeners.contains(obs.routingListener()));
  }
}
