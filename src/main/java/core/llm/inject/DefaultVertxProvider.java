package core.llm.inject;

import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/**
 * The library's default {@link Vertx} when the host binds none: created on first injection (not in
 * {@code configure()}), owned and closed by {@link LlmService#stop()}.
 */
@Singleton
final class DefaultVertxProvider implements Provider<Vertx> {
  private final StopHooks hooks;
  private Vertx vertx;

  @Inject
  DefaultVertxProvider(StopHooks hooks) {
    this.hooks = hooks;
  }

  @Override
  public synchronized Vertx get() {
    if (vertx == null) {
      vertx = Vertx.vertx();
      Vertx created = vertx;
      hooks.add(created::close);
    }
    return vertx;
  }
}
