package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import core.llm.common.ErrorKind;
import core.llm.common.Usage;
import core.llm.observability.micrometer.MicrometerMetricsSink;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.mock.MockProvider;
import core.llm.providers.mock.MockReply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Price table, cost per request and running totals; no price means no cost. */
@ExtendWith(VertxExtension.class)
class CostTest {
  static final String PRICES =
      """
      currency: USD
      prices:
        - { provider: a, model: gpt-x, inputPerMillion: 2.0, outputPerMillion: 8.0 }
        - { model: gpt-x, inputPerMillion: 100, outputPerMillion: 100 }
        - { model: llama3.2, inputPerMillion: 0.5, outputPerMillion: 1.5 }
      """;

  @Test
  void priceTableReadsFromYamlAndLooksUpExactProviderFirst() throws Exception {
    PriceTable t = new ObjectMapper(new YAMLFactory()).readValue(PRICES, PriceTable.class);
    assertEquals("USD", t.currency());
    assertEquals(2.0, t.price("a", "gpt-x").orElseThrow().inputPerMillion());
    assertEquals(100, t.price("b", "gpt-x").orElseThrow().inputPerMillion(), "wildcard entry");
    assertEquals(
        0.5,
        t.price("ollama", "llama3.2:latest").orElseThrow().inputPerMillion(),
        "same model, tag implied");
    assertEquals(
        (1_000_000 * 2.0 + 500_000 * 8.0) / 1e6,
        t.cost("a", "gpt-x", Usage.of(1_000_000, 500_000)),
        1e-9);
    assertNull(t.cost("a", "unpriced", Usage.of(10, 10)), "no price: no cost, not zero");
    assertNull(t.cost("a", "gpt-x", Usage.UNKNOWN), "unknown usage is not free");
  }

  @Test
  void runningTotalsForAScriptedMix(Vertx vertx) throws Exception {
    PriceTable prices = new ObjectMapper(new YAMLFactory()).readValue(PRICES, PriceTable.class);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Observability obs =
        Observability.builder().metrics(new MicrometerMetricsSink(registry)).prices(prices).build();
    MockProvider mock = MockProvider.create(vertx, "a");
    LlmProvider p = obs.decorate(mock);

    mock.nextReply(
        MockReply.text("x").withUsage(1000, 500),
        MockReply.text("y").withUsage(3000, 1500),
        MockReply.text("z").withUsage(2000, 1000),
        MockReply.failure(ErrorKind.SERVER_ERROR),
        MockReply.text("w").withUsage(400, 100));
    p.chat(Fixture.req("gpt-x", "1")).await();
    p.chat(Fixture.req("gpt-x", "2")).await();
    p.chat(Fixture.req("llama3.2", "3")).await();
    try {
      p.chat(Fixture.req("gpt-x", "4")).await();
    } catch (RuntimeException expected) {
      // counted as an error, without cost
    }
    p.chat(Fixture.req("mystery", "5")).await();

    UsageTotals gpt = obs.usage().totals("a", "gpt-x");
    assertEquals(3, gpt.requests());
    assertEquals(1, gpt.errors());
    assertEquals(4000, gpt.promptTokens());
    assertEquals(2000, gpt.completionTokens());
    assertEquals((4000 * 2.0 + 2000 * 8.0) / 1e6, gpt.cost(), 1e-12);
    assertEquals(
        (2000 * 0.5 + 1000 * 1.5) / 1e6, obs.usage().totals("a", "llama3.2").cost(), 1e-12);
    UsageTotals mystery = obs.usage().totals("a", "mystery");
    assertEquals(1, mystery.requests());
    assertEquals(500, mystery.totalTokens());
    assertNull(mystery.cost(), "a model without a price has no cost");
    UsageTotals all = obs.usage().grandTotal();
    assertEquals(5, all.requests());
    assertEquals(gpt.cost() + obs.usage().totals("a", "llama3.2").cost(), all.cost(), 1e-12);

    assertEquals(
        gpt.cost(),
        registry.get("llm.cost").tags("provider", "a", "model", "gpt-x").counter().count(),
        1e-12);
    assertEquals(
        null,
        registry.find("llm.cost").tags("model", "mystery").counter(),
        "no cost meter without a price");

    obs.usage().reset();
    assertEquals(List.of(), obs.usage().snapshot());
    assertNull(obs.usage().grandTotal().cost());
    p.chat(Fixture.req("gpt-x", "6")).await(); // unscripted: echo, word-count usage
    assertEquals(
        1, obs.usage().totals("a", "gpt-x").requests(), "counting starts again after reset");
  }
}
