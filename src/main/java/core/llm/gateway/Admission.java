package core.llm.gateway;

import core.llm.common.Usage;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call the gateway, for which models, how often: every front end asks before it sends
 * anything upstream, and reports what a request used once it ends.
 */
interface Admission {

  /**
   * The caller of {@code rc} (from {@code Authorization: Bearer}, {@code x-api-key} or {@code
   * api-key}), if they may use {@code model} now; else fails with {@link GatewayAccessException}.
   *
   * @param model the model as the client named it, or null for requests about no model (listing)
   */
  Future<Caller> admit(RoutingContext rc, String model);

  /** What a finished request used, counted against the caller's token limit and budget. */
  void charge(Caller caller, String model, String provider, Usage usage);

  /** Stops any background work (the gateway is shutting down). */
  default void close() {}

  /** Lets everyone in: for tests of the front ends, and what no keys configured means. */
  static Admission open() {
    return new Admission() {
      @Override
      public Future<Caller> admit(RoutingContext rc, String model) {
        return Future.succeededFuture(Caller.ANONYMOUS);
      }

      @Override
      public void charge(Caller caller, String model, String provider, Usage usage) {}
    };
  }
}
