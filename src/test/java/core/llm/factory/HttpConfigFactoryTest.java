package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.LlmException;
import core.llm.providers.anthropic.AnthropicOptions;
import core.llm.providers.config.HttpConfig;
import core.llm.providers.config.ProviderConfig;
import core.llm.providers.config.ProviderConfigManager;
import core.llm.providers.config.SecretResolver;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.fake.Chunks;
import core.llm.providers.ollama.fake.FakeModel;
import core.llm.providers.ollama.fake.FakeOllamaServer;
import core.llm.providers.ollama.fake.Script;
import core.llm.providers.openai.OpenAiOptions;
import core.llm.providers.spi.TransportOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code http} block of the configuration file, applied for real: a factory built from a file
 * opens as many connections as {@code maxPoolSize} allows (not the default 64), sends the
 * configured headers, goes through the configured proxy and trusts the configured certificate.
 */
@Timeout(60)
class HttpConfigFactoryTest {
  private static final String PROXY_PASSWORD = "PLANTED-proxy-password";

  @TempDir Path dir;

  private Vertx vertx;
  private FakeOllamaServer server;
  private final List<ProviderConfigManager> configs = new ArrayList<>();
  private final List<LlmProviderFactory> factories = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (LlmProviderFactory f : factories) {
      f.close().await(20, TimeUnit.SECONDS);
    }
    configs.forEach(ProviderConfigManager::stop);
    if (server != null) {
      server.close().await();
    }
    vertx.close().await();
  }

  private FakeOllamaServer server(HttpServerOptions options) {
    server = FakeOllamaServer.start(vertx, options).await();
    server.addModel(FakeModel.named("llama3.2").capabilities("completion").reply("hi there"));
    return server;
  }

  /** A factory over a YAML file with one ollama provider {@code gpu} and this http block. */
  private LlmProviderFactory factory(String baseUrl, String http, Map<String, String> env)
      throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            providers:
              - name: gpu
                type: ollama
                baseUrl: %s
                models: [llama3.2]
                http:
            """
                .formatted(baseUrl));
    http.stripIndent().lines().forEach(l -> yaml.append("      ").append(l).append('\n'));
    Path file = Files.writeString(dir.resolve("llm-" + configs.size() + ".yaml"), yaml);
    ProviderConfigManager config =
        ProviderConfigManager.create(vertx, file, env, BuiltInProviders.creators().keySet());
    configs.add(config);
    config.start().await();
    LlmProviderFactory factory =
        LlmProviderFactory.builder(vertx, config)
            .creators(BuiltInProviders.creators())
            .secrets(SecretResolver.fromEnv(env::get))
            .build();
    factories.add(factory);
    return factory;
  }

  @Test
  void maxPoolSize256OpensMoreThan64ConnectionsThroughTheRouter() throws Exception {
    server(new HttpServerOptions());
    // every chat holds its response head: each stream keeps its connection
    server.scriptAlways(
        "/api/chat",
        Script.create()
            .delayHeaders(30_000)
            .line(Chunks.chatFinal("x", "stop", Chunks.metrics()))
            .end());
    LlmProviderFactory factory =
        factory(server.baseUrl(), "maxPoolSize: 256\nheaders: {X-Team: search}", Map.of());
    int streams = 256;
    List<Object> held = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      var stream =
          factory.router().chatStream(CompletionRequest.builder("llama3.2").user("hi").build());
      stream.handler(d -> {});
      held.add(stream);
    }
    server.awaitRequests("/api/chat", streams).await(30, TimeUnit.SECONDS);
    assertTrue(
        server.openConnections() >= streams,
        "open connections: " + server.openConnections() + " (the default pool stops at 64)");
    assertEquals("search", server.lastRequest("/api/chat").header("X-Team"));
  }

  @Test
  void theDefaultPoolStopsAt64() throws Exception {
    server(new HttpServerOptions());
    server.scriptAlways(
        "/api/chat",
        Script.create()
            .delayHeaders(30_000)
            .line(Chunks.chatFinal("x", "stop", Chunks.metrics()))
            .end());
    LlmProviderFactory factory = factory(server.baseUrl(), "http2: false", Map.of());
    for (int i = 0; i < 80; i++) {
      factory
          .router()
          .chatStream(CompletionRequest.builder("llama3.2").user("hi").build())
          .handler(d -> {});
    }
    server.awaitRequests("/api/chat", 64).await(30, TimeUnit.SECONDS);
    Thread.sleep(300);
    assertEquals(64, server.requests("/api/chat").size(), "the rest wait for a connection");
  }

  @Test
  void headersFromTheFileAndFromVariablesArriveButProtocolHeadersWin() throws Exception {
    server(new HttpServerOptions());
    LlmProviderFactory factory =
        factory(
            server.baseUrl(),
            """
            headers: {X-Team: search, Accept: text/plain}
            headersEnv: {X-Gateway-Token: GW_TOKEN}
            """,
            Map.of("GW_TOKEN", "tok-123"));
    assertEquals(
        "hi there",
        factory
            .router()
            .chat(CompletionRequest.builder("llama3.2").user("hi").build())
            .await()
            .content());
    var request = server.lastRequest("/api/chat");
    assertEquals("search", request.header("X-Team"));
    assertEquals("tok-123", request.header("X-Gateway-Token"));
    assertFalse(request.header("Accept").contains("text/plain"), request.header("Accept"));
  }

  @Test
  void aProxyFromTheFileCarriesTheRequests() throws Exception {
    server(new HttpServerOptions());
    List<String> uris = new CopyOnWriteArrayList<>();
    List<String> auth = new CopyOnWriteArrayList<>();
    HttpClient upstream = vertx.createHttpClient();
    HttpServer proxy =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  uris.add(req.uri());
                  auth.add(String.valueOf(req.getHeader("Proxy-Authorization")));
                  URI u = URI.create(req.uri());
                  MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
                  headers.remove("Proxy-Authorization").remove("Proxy-Connection");
                  req.body()
                      .compose(
                          body ->
                              upstream
                                  .request(
                                      new RequestOptions()
                                          .setMethod(req.method())
                                          .setHost(u.getHost())
                                          .setPort(u.getPort())
                                          .setURI(u.getRawPath())
                                          .setHeaders(headers))
                                  .compose(r -> r.send(body))
                                  .compose(
                                      resp ->
                                          resp.body()
                                              .map(
                                                  b -> {
                                                    req.response()
                                                        .setStatusCode(resp.statusCode())
                                                        .putHeader(
                                                            "Content-Type",
                                                            String.valueOf(
                                                                resp.getHeader("Content-Type")))
                                                        .end(b);
                                                    return b;
                                                  })))
                      .onFailure(e -> req.response().setStatusCode(502).end());
                })
            .listen(0, "127.0.0.1")
            .await();
    LlmProviderFactory factory =
        factory(
            server.baseUrl(),
            """
            proxy: {host: 127.0.0.1, port: %d, username: svc, passwordEnv: PROXY_PASS}
            """
                .formatted(proxy.actualPort()),
            Map.of("PROXY_PASS", PROXY_PASSWORD));
    var models = factory.provider("gpu").await().listModels().await();
    assertFalse(models.isEmpty());
    assertFalse(uris.isEmpty());
    assertTrue(
        uris.stream().anyMatch(u -> u.equals(server.baseUrl() + "/api/tags")),
        "absolute-form requests through the proxy: " + uris);
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    ("svc:" + PROXY_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(auth.contains(basic), "proxy credentials from PROXY_PASS: " + auth);
    proxy.close().await();
  }

  @Test
  void tlsWithTheConfiguredTrustStoreWorksAndFailsTypedWithout() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    server(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()));
    String https = "https://localhost:" + server.port();

    LlmProviderFactory trusted =
        factory(https, "tls: {trustStore: " + cert.certificatePath() + "}", Map.of());
    assertFalse(trusted.provider("gpu").await().listModels().await().isEmpty());

    LlmProviderFactory untrusted = factory(https, "maxPoolSize: 4", Map.of());
    Future<?> failed = untrusted.provider("gpu").await().listModels();
    Throwable t = assertThrows(Throwable.class, () -> failed.await(20, TimeUnit.SECONDS));
    LlmException e = assertInstanceOf(LlmException.class, t, String.valueOf(t));
    assertEquals(core.llm.common.ErrorKind.CONNECTION, e.kind());
    assertTrue(e.getMessage().contains("SSL"), e.getMessage());
  }

  @Test
  void theSameBlockMapsOntoEveryProvidersOptions() {
    HttpConfig http =
        new HttpConfig(
            200,
            null,
            true,
            null,
            Map.of("X-A", "b"),
            Map.of("X-Token-Id", "TOK"),
            new HttpConfig.Proxy("proxy", 3128, "socks5", "u", "PROXY_PASS"),
            new HttpConfig.Tls(null, null, null, null, null, true));
    ProviderConfig pc = ProviderConfig.of("p", "openai", "https://gw.example/v1").withHttp(http);
    Map<String, String> env = Map.of("PROXY_PASS", PROXY_PASSWORD, "TOK", "t");
    SecretResolver secrets = SecretResolver.fromEnv(env::get);
    ProviderContext ctx =
        new ProviderContext(
            vertx, pc, Optional.empty(), var -> secrets.resolve(pc.withApiKeyEnv(var)));
    for (TransportOptions<?> o :
        List.<TransportOptions<?>>of(
            new OllamaClientOptions(), new OpenAiOptions(), new AnthropicOptions())) {
      BuiltInProviders.transport(ctx, o);
      HttpClientOptions h = o.toHttpClientOptions();
      assertEquals(200, o.toPoolOptions().getHttp1MaxSize());
      assertEquals(2, o.toPoolOptions().getHttp2MaxSize());
      assertEquals(ProxyType.SOCKS5, h.getProxyOptions().getType());
      assertEquals(PROXY_PASSWORD, h.getProxyOptions().getPassword());
      assertTrue(h.isTrustAll());
      assertEquals("b", o.getHeaders().get("X-A"));
      assertEquals("t", o.getHeaders().get("X-Token-Id"));
      assertFalse(o.toString().contains(PROXY_PASSWORD));
    }
  }
}
