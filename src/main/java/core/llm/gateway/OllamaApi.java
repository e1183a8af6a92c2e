package core.llm.gateway;

import io.vertx.ext.web.Router;

/** Being written: see the gateway issue. */
final class OllamaApi implements Api {
  private final GatewayContext ctx;

  OllamaApi(GatewayContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void mount(Router router) {}
}
