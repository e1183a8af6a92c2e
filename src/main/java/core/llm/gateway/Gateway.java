package core.llm.gateway;

import core.llm.factory.LlmProviderFactory;
import core.llm.observability.Observability;
import core.llm.providers.config.ProviderConfigManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * {@code llm serve}: one HTTP server that speaks Ollama's API and OpenAI's in front of every
 * configured provider, through the factory's router (mapping, placement, failover). Requests and
 * streams run on event loops, with end-to-end flow control: a slow client pauses the upstream read,
 * a client that goes away cancels the upstream request.
 *
 * <p>The gateway does not own the factory or the configuration manager: whoever created them closes
 * them after {@link #shutdown(Duration)}.
 */
public interface Gateway {

  /**
   * A gateway over {@code factory}, reading its {@code gateway:} section from {@code configs}, with
   * an observability the factory does not report to: health comes from the gateway's own probes,
   * and provider metrics and usage stay empty. Pass the factory's to have them.
   */
  static Gateway create(
      Vertx vertx,
      LlmProviderFactory factory,
      ProviderConfigManager configs,
      GatewayOptions options) {
    return create(vertx, factory, configs, options, Observability.builder().build());
  }

  /**
   * A gateway over {@code factory} that reports through {@code observability}: pass the one whose
   * {@link Observability#decorator()} and {@link Observability#routingListener()} the factory was
   * built with, so metrics, health, usage and the monitoring document cover every provider attempt.
   */
  static Gateway create(
      Vertx vertx,
      LlmProviderFactory factory,
      ProviderConfigManager configs,
      GatewayOptions options,
      Observability observability) {
    return new GatewayImpl(vertx, factory, configs, options, observability);
  }

  /**
   * Binds the address (options first, then the configuration's {@code gateway:} section). Fails
   * with {@link IllegalStateException} when it would expose an unauthenticated gateway beyond
   * loopback without {@link GatewayOptions#setAllowRemoteWithoutKeys(boolean)}.
   */
  Future<Gateway> listen();

  /** The port bound by {@link #listen()} (useful with port 0), or -1 before. */
  int port();

  /** The address bound, as {@code http://host:port}, or null before {@link #listen()}. */
  String baseUrl();

  /**
   * Stops accepting connections, lets running requests and streams finish for up to {@code grace},
   * then cancels what is left (their upstream requests included).
   */
  Future<Void> shutdown(Duration grace);

  /** {@link #shutdown(Duration)} with no grace: everything running is cancelled now. */
  default Future<Void> close() {
    return shutdown(Duration.ZERO);
  }
}
