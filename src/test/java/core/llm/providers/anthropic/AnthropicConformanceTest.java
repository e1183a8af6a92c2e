package core.llm.providers.anthropic;

import core.llm.providers.base.ConformanceFixture;
import core.llm.providers.base.ProviderConformanceTest;
import io.vertx.core.Vertx;

/** The shared provider suite against the Anthropic provider and its fake Messages API. */
class AnthropicConformanceTest extends ProviderConformanceTest {
  @Override
  protected ConformanceFixture createFixture(Vertx vertx) {
    return AnthropicFixture.start(vertx);
  }
}
