package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ConnectionException;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.providers.base.LlmProvider;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(20)
class ResolutionTest {
  static final String YAML =
      """
      defaultProvider: main
      providers:
        - { name: main, type: fake }
        - { name: a, type: fake, models: [llama3.2], weight: 3 }
        - { name: b, type: fake, models: ["llama3.2:latest"], weight: 1 }
        - { name: mapped, type: fake, models: [qwen] }
        - { name: fb1, type: fake, models: [special] }
        - { name: fb2, type: fake }
        - { name: off, type: fake, enabled: false, models: [llama3.2] }
      modelMapping: { mistral: mapped }
      aliases: { fast: llama3.2 }
      fallback: [fb1, fb2]
      routing: { breakerFailureThreshold: 2, breakerCooldown: 10s }
      """;

  @TempDir Path dir;
  Harness h;
  double rnd = 0.0;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    h = new Harness(vertx, dir, YAML, Map.of(), () -> rnd);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  List<String> plan(String model, String preferred) {
    return h.factory.plan(model, preferred).candidates();
  }

  @Test
  void routeNamesTheStepThatPutEachCandidateInPlace() {
    ModelRoute listed = h.factory.route("fast", null, null);
    assertEquals("llama3.2", listed.model());
    assertEquals(List.of("a", "b", "main", "fb2"), listed.providers());
    assertEquals(
        List.of(
            ModelRoute.Step.LISTED,
            ModelRoute.Step.LISTED,
            ModelRoute.Step.DEFAULT,
            ModelRoute.Step.FALLBACK),
        listed.candidates().stream().map(ModelRoute.Candidate::step).toList());
    ModelRoute mapped = h.factory.route("mistral", "fb2", null);
    assertEquals(List.of("fb2", "mapped", "main"), mapped.providers());
    assertEquals(
        List.of(ModelRoute.Step.PREFERRED, ModelRoute.Step.MAPPED, ModelRoute.Step.DEFAULT),
        mapped.candidates().stream().map(ModelRoute.Candidate::step).toList());
    assertEquals(
        mapped.providers(),
        mapped.candidates().stream().map(ModelRoute.Candidate::provider).toList());
  }

  @Test
  void listingProvidersByWeightThenDefaultThenServingFallbacks() {
    // fb1 lists other models only, "off" is disabled: neither appears.
    assertEquals(List.of("a", "b", "main", "fb2"), plan("llama3.2", null));
    rnd = 0.9; // 0.9 * (3 + 1) = 3.6 falls past a's share of 3: b first
    assertEquals(List.of("b", "a", "main", "fb2"), plan("llama3.2", null));
  }

  @Test
  void modelNamesAreNormalisedAndAliasesResolved() {
    assertEquals(plan("llama3.2", null), plan("llama3.2:latest", null));
    assertEquals(plan("llama3.2", null), plan("Library/LLaMA3.2", null));
    Resolver.Plan alias = h.factory.plan("fast", null);
    assertEquals("llama3.2", alias.model());
    assertEquals(List.of("a", "b", "main", "fb2"), alias.candidates());
  }

  @Test
  void mappingComesBeforeTheDefault() {
    assertEquals(List.of("mapped", "main", "fb2"), plan("mistral", null));
    assertEquals(List.of("mapped", "main", "fb2"), plan("mistral:latest", null));
  }

  @Test
  void unmappedModelGoesToTheDefaultThenOpenFallbacks() {
    assertEquals(List.of("main", "fb2"), plan("phi4", null));
    assertEquals(List.of("fb1", "main", "fb2"), plan("special", null));
  }

  @Test
  void preferredFirstOnlyWhenItServesTheModel() {
    assertEquals(List.of("fb2", "a", "b", "main"), plan("llama3.2", "fb2"));
    assertEquals(List.of("b", "a", "main", "fb2"), plan("llama3.2", "b"));
    assertEquals(
        List.of("a", "b", "main", "fb2"), plan("llama3.2", "fb1"), "fb1 does not serve it");
    assertEquals(List.of("a", "b", "main", "fb2"), plan("llama3.2", "off"), "disabled");
    assertEquals(List.of("a", "b", "main", "fb2"), plan("llama3.2", "nope"), "unknown");
  }

  @Test
  void runtimeRegistrationBeatsTheMapping() {
    h.factory.registerModel("gemma3", "fb1");
    assertEquals(List.of("fb1", "main", "fb2"), plan("gemma3:latest", null));
    h.factory.registerModel("mistral", "b");
    assertEquals(List.of("b", "main", "fb2"), plan("mistral", null));
    ProviderNotFoundException e =
        assertThrows(ProviderNotFoundException.class, () -> h.factory.registerModel("x", "off"));
    assertEquals(List.of("a", "b", "fb1", "fb2", "main", "mapped"), e.available());
  }

  @Test
  void providerForModelSkipsCooledDownProviders() {
    assertEquals("a", h.factory.providerForModel("llama3.2").await().name());
    ConnectionException down = new ConnectionException("refused", ErrorContext.of("a", null));
    h.factory.failure("a", down);
    h.factory.failure("a", down); // threshold 2: open
    assertEquals("b", h.factory.providerForModel("llama3.2").await().name());
    assertEquals(BreakerState.OPEN, status("a").breaker());
    assertEquals(ErrorKind.CONNECTION, status("a").lastErrorKind());
    for (String n : List.of("b", "main", "fb2")) {
      h.factory.failure(n, down);
      h.factory.failure(n, down);
    }
    Throwable t =
        assertThrows(Exception.class, () -> h.factory.providerForModel("llama3.2").await());
    ServiceUnavailableException su = assertInstanceOf(ServiceUnavailableException.class, t);
    assertEquals(
        List.of("a", "b", "main", "fb2"),
        su.attempts().stream().map(ServiceUnavailableException.Attempt::provider).toList());
    assertTrue(su.getMessage().contains("cooling down"), su.getMessage());
    h.clock.advance(java.time.Duration.ofSeconds(10)); // cooldown over: a may be probed again
    assertEquals("a", h.factory.providerForModel("llama3.2").await().name());
  }

  @Test
  void preferredOverloadReturnsPreferred() {
    assertEquals("fb2", h.factory.providerForModel("llama3.2", "fb2").await().name());
  }

  @Test
  void unknownProviderListsTheAvailableOnes() {
    Throwable t = assertThrows(Exception.class, () -> h.factory.provider("nope").await());
    ProviderNotFoundException e = assertInstanceOf(ProviderNotFoundException.class, t);
    assertEquals(ErrorKind.NOT_FOUND, e.kind());
    assertEquals(
        "Unknown provider 'nope'. Available: [a, b, fb1, fb2, main, mapped]", e.getMessage());
    assertInstanceOf(
        ProviderNotFoundException.class,
        assertThrows(Exception.class, () -> h.factory.provider("off").await()));
  }

  @Test
  void availableProvidersAreTheEnabledOnesWithHealth() {
    h.factory.provider("a").await();
    List<ProviderStatus> all = h.factory.availableProviders();
    assertEquals(
        List.of("main", "a", "b", "mapped", "fb1", "fb2"),
        all.stream().map(ProviderStatus::name).toList());
    assertTrue(all.get(1).created());
    assertTrue(all.stream().allMatch(ProviderStatus::healthy));
  }

  @Test
  void hundredConcurrentFirstCallsCreateOneInstance() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<LlmProvider>> results = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return h.factory.provider("a").await();
              }));
    }
    go.countDown();
    LlmProvider first = results.get(0).get(10, TimeUnit.SECONDS);
    for (Future<LlmProvider> f : results) {
      assertSame(first, f.get(10, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(1, h.fakes.creations.get());
    assertSame(h.fakes.instances("a").get(0), ((ManagedProvider) first).delegate());
  }

  @Test
  void noProviderServesTheModel(Vertx vertx, @TempDir Path other) throws Exception {
    try (Harness strict =
        new Harness(
            vertx,
            other,
            """
        defaultProvider: x
        providers:
          - { name: x, type: fake, models: [m1] }
          - { name: y, type: fake, models: [m2] }
          - { name: z, type: fake, enabled: false }
        modelMapping: { zzz: z }
        fallback: [y]
        """)) {
      // zzz is claimed (mapped to z, disabled), so the default does not take it, and nothing serves
      // it
      Throwable t =
          assertThrows(Exception.class, () -> strict.factory.providerForModel("zzz").await());
      NoProviderForModelException e = assertInstanceOf(NoProviderForModelException.class, t);
      assertEquals(List.of("z", "x", "y"), e.tried());
      assertEquals(ErrorKind.NOT_FOUND, e.kind());
      assertInstanceOf(
          NoProviderForModelException.class,
          assertThrows(
              Exception.class, () -> strict.factory.router().chat(Harness.req("zzz")).await()));
    }
  }

  private ProviderStatus status(String name) {
    return h.factory.availableProviders().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
