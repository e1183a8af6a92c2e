package core.llm.gateway;

import io.vertx.ext.web.Router;

/** Being written: see the gateway issue. */
final class AnthropicApi implements Api {
  private final GatewayContext ctx;

  AnthropicApi(GatewayContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void mount(Router router) {}
}
