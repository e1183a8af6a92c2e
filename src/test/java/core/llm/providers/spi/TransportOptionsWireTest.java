package core.llm.providers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.providers.anthropic.AnthropicOptions;
import core.llm.providers.anthropic.AnthropicProvider;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.openai.OpenAiOptions;
import core.llm.providers.openai.OpenAiProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/2 and TLS from the shared options, on the wire, for the OpenAI and Anthropic providers. */
@Timeout(30)
class TransportOptionsWireTest {
  private static final String MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"m1\",\"object\":\"model\",\"owned_by\":\"x\"}],"
          + "\"has_more\":false}";

  private Vertx vertx;
  private final List<HttpVersion> versions = new CopyOnWriteArrayList<>();
  private final List<String> teams = new CopyOnWriteArrayList<>();
  private final SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private int server(boolean tls) {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    if (tls) {
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(cert.keyCertOptions());
    }
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(
                req -> {
                  versions.add(req.version());
                  teams.add(String.valueOf(req.getHeader("X-Team")));
                  req.response().putHeader("Content-Type", "application/json").end(MODELS);
                })
            .listen()
            .await();
    return server.actualPort();
  }

  private static void list(LlmProvider p) {
    try {
      assertEquals("m1", p.listModels().await(10, TimeUnit.SECONDS).get(0).id());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      p.close();
    }
  }

  @Test
  void http2IsNegotiatedByAlpnWithTheConfiguredTrustStore() {
    int port = server(true);
    list(
        OpenAiProvider.create(
            vertx,
            new OpenAiOptions()
                .setBaseUrl("https://localhost:" + port + "/v1")
                .setTrustStorePath(cert.certificatePath())
                .setHttp2(true)
                .addHeader("X-Team", "search")));
    list(
        OpenAiProvider.create(
            vertx,
            new OpenAiOptions()
                .setBaseUrl("https://localhost:" + port + "/v1")
                .setTrustStorePath(cert.certificatePath())));
    assertEquals(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1), versions);
    assertEquals("search", teams.get(0));
  }

  @Test
  void h2cPriorKnowledgeSpeaksHttp2OnPlainHttp() {
    int port = server(false);
    list(
        OpenAiProvider.create(
            vertx,
            new OpenAiOptions()
                .setBaseUrl("http://127.0.0.1:" + port + "/v1")
                .setHttp2(true)
                .setH2cPriorKnowledge(true)));
    assertEquals(List.of(HttpVersion.HTTP_2), versions);
  }

  @Test
  void anUntrustedCertificateOnOllamaSaysSoInsteadOfAskingWhetherItRuns() throws Exception {
    int port = server(true);
    core.llm.providers.ollama.OllamaClient ollama =
        core.llm.providers.ollama.OllamaClient.create(
            vertx,
            new core.llm.providers.ollama.OllamaClientOptions()
                .setBaseUrl("https://localhost:" + port));
    Throwable t = assertThrows(Throwable.class, () -> ollama.version().await(10, TimeUnit.SECONDS));
    LlmException e = assertInstanceOf(LlmException.class, t, String.valueOf(t));
    assertEquals(ErrorKind.CONNECTION, e.kind(), e.getMessage());
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("TLS handshake") && !e.getMessage().contains("Is Ollama running"),
        e.getMessage());
    ollama.close().await();
  }

  @Test
  void anUntrustedCertificateFailsTypedAndTrustAllAcceptsIt() throws Exception {
    int port = server(true);
    LlmProvider untrusted =
        AnthropicProvider.create(
            vertx, new AnthropicOptions().setBaseUrl("https://localhost:" + port).setApiKey("k"));
    Throwable t =
        assertThrows(Throwable.class, () -> untrusted.listModels().await(10, TimeUnit.SECONDS));
    LlmException e = assertInstanceOf(LlmException.class, t, String.valueOf(t));
    assertEquals(ErrorKind.CONNECTION, e.kind(), e.getMessage());
    untrusted.close();
    assertEquals(List.of(), versions, "nothing reached the server");
    list(
        OpenAiProvider.create(
            vertx,
            new OpenAiOptions().setBaseUrl("https://localhost:" + port + "/v1").setTrustAll(true)));
    assertEquals(1, versions.size());
  }
}
