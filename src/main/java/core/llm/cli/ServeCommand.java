package core.llm.cli;

import core.llm.gateway.Gateway;
import core.llm.gateway.GatewayOptions;
import core.llm.observability.Observability;
import core.llm.observability.micrometer.MicrometerMetricsSink;
import core.llm.providers.config.GatewayConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llm serve}: the gateway, in front of every configured provider, until SIGTERM or Ctrl-C,
 * which stop accepting, give running streams the configured grace, then cancel what is left.
 */
@Command(
    name = "serve",
    description = "Serve Ollama's and OpenAI's APIs in front of every configured provider.")
final class ServeCommand extends BaseCommand {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Address to bind (default: gateway.host, else 127.0.0.1).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to bind, 0 for any free one (default: gateway.port, else 11435).")
  Integer port;

  @Option(
      names = "--event-loops",
      paramLabel = "N",
      description =
          "Event loops that serve HTTP, one server each on the same port (default: 1; at most one"
              + " per core helps, and each beyond the first costs hops to upstream connections"
              + " opened on another loop).")
  Integer eventLoops;

  @Option(
      names = "--allow-remote-without-keys",
      description =
          "Bind a non-loopback address although no gateway keys are configured (anyone who can"
              + " reach it can use every provider).")
  boolean allowRemote;

  @Option(
      names = "--hash-key",
      description =
          "Read a gateway key from standard input and print the sha256 line to put under"
              + " gateway.keys; the key itself is never stored.")
  boolean hashKey;

  @Override
  int run(CliContext ctx) throws Exception {
    if (hashKey) {
      return printHash(ctx);
    }
    // Netty would otherwise pick up an SLF4J API some dependency carries, and print that it has no
    // binding; the program logs through java.util.logging.
    io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
        io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
    LogLineFormatter.installUnlessConfigured();
    GatewayOptions options =
        new GatewayOptions().setHost(host).setPort(port).setEventLoops(eventLoops);
    ctx.eventLoops(options.eventLoopsOrDefault());
    GatewayConfig.Cluster cluster = clusterSettings(ctx);
    if (cluster.enabled()) {
      ctx.err.println(
          "llm serve: joining cluster '"
              + cluster.name()
              + "' from "
              + cluster.host()
              + " (members: "
              + (cluster.members().isEmpty()
                  ? "this machine, ports " + cluster.port() + " and up"
                  : String.join(", ", cluster.members()))
              + ")");
      io.vertx.core.Vertx clustered =
          core.llm.gateway.ClusterVertx.start(cluster, ctx.vertxOptions()).await();
      ctx.clustered(
          clustered, core.llm.factory.SharedRoutingState.clustered(clustered, cluster.host()));
    }
    // Prometheus for /metrics; the gateway writes its own line per request, so the providers' is
    // off
    Observability obs =
        Observability.builder()
            .metrics(MicrometerMetricsSink.prometheus())
            .requestLog(false)
            .build();
    ctx.observe(obs);
    obs.listenModelEvents(ctx.vertx().eventBus());
    GatewayConfig config = ctx.config().gateway();
    if (allowRemote) {
      options.setAllowRemoteWithoutKeys(true);
    }
    Gateway gateway = Gateway.create(ctx.vertx(), ctx.factory(), ctx.configs(), options, obs);
    ctx.factory().start().await();
    try {
      gateway.listen().await();
    } catch (IllegalStateException e) {
      ctx.err.println("llm serve: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ctx.err.println(
        "llm serve: listening on "
            + gateway.baseUrl()
            + " (Ollama API at /api, OpenAI and Anthropic APIs at /v1, dashboard at /ui)");
    ctx.err.println(
        "llm serve: configuration: "
            + ctx.configPath()
                .map(Object::toString)
                .orElse("embedded default, one Ollama at OLLAMA_HOST")
            + (config.keys().isEmpty()
                ? "; no gateway keys: loopback callers need none"
                : "; " + config.keys().size() + " gateway key(s)"));
    CountDownLatch stopped = new CountDownLatch(1);
    Duration grace = config.shutdownGrace();
    Thread hook =
        new Thread(
            () -> {
              ctx.err.println(
                  "llm serve: stopping; running streams get up to " + Fmt.seconds(grace));
              try {
                gateway
                    .shutdown(grace)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                ctx.factory()
                    .shutdown(Duration.ofSeconds(1))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
              } catch (Exception e) {
                ctx.err.println("llm serve: stopped before everything had ended: " + e);
              } finally {
                stopped.countDown();
              }
            },
            "llm-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return ExitCodes.OK;
  }

  /**
   * {@code gateway.cluster} of the configuration file, read before Vert.x starts (a clustered Vertx
   * cannot be made from a plain one); a file with problems is reported later by the manager.
   */
  private static GatewayConfig.Cluster clusterSettings(CliContext ctx) {
    java.nio.file.Path path = ctx.configPath().orElse(null);
    if (path == null) {
      return GatewayConfig.Cluster.OFF;
    }
    core.llm.providers.config.ConfigLoadResult result =
        core.llm.providers.config.ConfigLoader.create(ctx.env, ctx.creators().keySet()).load(path);
    return result.config() == null
        ? GatewayConfig.Cluster.OFF
        : result.config().gateway().cluster();
  }

  private static int printHash(CliContext ctx) throws Exception {
    String key =
        new BufferedReader(new InputStreamReader(ctx.in, StandardCharsets.UTF_8)).readLine();
    if (key == null || key.strip().isEmpty()) {
      ctx.err.println("llm serve --hash-key: give the key on standard input");
      return ExitCodes.USAGE;
    }
    ctx.out.println("sha256: " + sha256(key.strip()));
    return ExitCodes.OK;
  }

  /** Hex SHA-256 of the key's UTF-8 bytes: what gateway.keys[].sha256 holds. */
  static String sha256(String key) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
