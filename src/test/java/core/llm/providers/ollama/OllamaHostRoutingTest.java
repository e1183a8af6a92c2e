package core.llm.providers.ollama;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import core.llm.common.BadRequestException;
import core.llm.common.ConnectionException;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.WebFetchRequest;
import core.llm.providers.ollama.models.WebSearchRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What goes on the wire for a given base URL and custom headers: credentials in the URL, header
 * precedence, the web search/fetch route per host, and redirects (WireMock captures the requests;
 * "ollama.com" is mapped to 127.0.0.1 by Vert.x's resolver, so nothing leaves the machine).
 */
@Timeout(30)
class OllamaHostRoutingTest {
  private static final String VERSION = "{\"version\":\"0.12.10\"}";
  private static WireMockServer wiremock;

  private Vertx vertx;
  private OllamaClient client;

  @BeforeAll
  static void startWireMock() {
    wiremock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wiremock.start();
  }

  @AfterAll
  static void stopWireMock() {
    wiremock.stop();
  }

  @BeforeEach
  void start() {
    wiremock.resetAll();
    wiremock.stubFor(any(anyUrl()).willReturn(okJson(VERSION)));
    AddressResolverOptions hosts =
        new AddressResolverOptions()
            .setHostsValue(Buffer.buffer("127.0.0.1 ollama.com localhost\n"));
    vertx = Vertx.vertx(new VertxOptions().setAddressResolverOptions(hosts));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close().await();
    }
    vertx.close().await();
  }

  private OllamaClient client(OllamaClientOptions options) {
    client = OllamaClient.create(vertx, options);
    return client;
  }

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  // ---- 12.3: every base URL goes through OLLAMA_HOST's normalisation ----

  @Test
  void schemeLessBaseUrlsAreNormalisedLikeOllamaHost() {
    assertEquals(
        "http://localhost:11434",
        new OllamaClientOptions().setBaseUrl("localhost:11434").getBaseUrl());
    assertEquals(
        "http://127.0.0.1:11435",
        new OllamaClientOptions().setBaseUrl("127.0.0.1:11435").getBaseUrl());
    assertEquals(
        "http://127.0.0.1:11434",
        new OllamaClientOptions(new io.vertx.core.json.JsonObject().put("baseUrl", "0.0.0.0"))
            .getBaseUrl());
    BadRequestException e =
        assertThrows(
            BadRequestException.class,
            () -> new OllamaClientOptions().setBaseUrl("http://x:1234?token=abc"));
    assertTrue(e.getMessage().contains("Accepted forms"), e.getMessage());
    assertFalse(e.getMessage().contains("abc"), e.getMessage());
  }

  @Test
  void schemeLessBaseUrlReachesTheServer() {
    askVersion(client(new OllamaClientOptions().setBaseUrl("localhost:" + wiremock.port())));
    wiremock.verify(getRequestedFor(urlPathEqualTo("/api/version")));
  }

  @Test
  void userInfoBecomesBasicAuthorizationAndNeverShows() {
    OllamaClientOptions options =
        new OllamaClientOptions().setBaseUrl("http://user:s3cret@127.0.0.1:" + wiremock.port());
    assertEquals("http://127.0.0.1:" + wiremock.port(), options.getBaseUrl());
    assertFalse(options.toJson().encode().contains("s3cret"));
    askVersion(client(options));
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/api/version"))
            .withHeader("Authorization", equalTo(basic("user:s3cret"))));
    assertFalse(client.baseUrl().contains("s3cret"));
  }

  @Test
  void userInfoFromTheEnvironmentToo() {
    OllamaClientOptions options =
        OllamaClientOptions.fromEnvironment(
            Map.of("OLLAMA_HOST", "u:pw@127.0.0.1:" + wiremock.port())::get);
    askVersion(client(options));
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/api/version"))
            .withHeader("Authorization", equalTo(basic("u:pw"))));
  }

  @Test
  void connectionErrorsDoNotShowTheCredentials() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    client(new OllamaClientOptions().setBaseUrl("http://user:s3cret@127.0.0.1:" + closed));
    Throwable t = OllamaStreamingTest.assertFails(client.version());
    ConnectionException e = assertInstanceOf(ConnectionException.class, t);
    assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
    assertFalse(
        e.getMessage().contains("s3cret") || e.getMessage().contains("user@"), e.getMessage());
  }

  // ---- 12.4: the client's protocol headers win over custom ones ----

  @Test
  void customContentTypeAndAcceptDoNotReplaceProtocolHeaders() {
    client(
        new OllamaClientOptions()
            .setBaseUrl("http://127.0.0.1:" + wiremock.port())
            .addHeader("Content-Type", "text/plain")
            .addHeader("Accept", "text/event-stream")
            .addHeader("User-Agent", "my-app/1.0")
            .addHeader("X-Trace", "t1"));
    askVersion(client);
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/api/version"))
            .withHeader("Content-Type", absent())
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("User-Agent", equalTo("my-app/1.0"))
            .withHeader("X-Trace", equalTo("t1")));

    wiremock.stubFor(
        any(urlPathEqualTo("/api/chat"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-ndjson")
                    .withBody(
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"done\":true}\n")));
    OllamaClient perCall =
        client.with(null, Map.of("Accept", "text/event-stream", "Content-Type", "text/plain"));
    perCall
        .chatStream(ChatRequest.builder("m").message(Message.user("hi")).build())
        .result()
        .await();
    wiremock.verify(
        postRequestedFor(urlPathEqualTo("/api/chat"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("Accept", equalTo("application/x-ndjson, application/json"))
            .withHeader("User-Agent", equalTo("my-app/1.0")));
  }

  // ---- 12.5: web search and fetch route by host ----

  @Test
  void localServerGetsTheExperimentalRoutesAndNoKey() {
    client(
        new OllamaClientOptions()
            .setBaseUrl("http://127.0.0.1:" + wiremock.port())
            .setApiKey("key-1"));
    wiremock.stubFor(any(anyUrl()).willReturn(okJson("{\"results\":[]}")));
    client.webSearch(new WebSearchRequest("java", 2)).await();
    client.webFetch(new WebFetchRequest("https://example.com")).await();
    wiremock.verify(
        postRequestedFor(urlPathEqualTo("/api/experimental/web_search"))
            .withHeader("Authorization", absent()));
    wiremock.verify(
        postRequestedFor(urlPathEqualTo("/api/experimental/web_fetch"))
            .withHeader("Authorization", absent()));
  }

  @Test
  void ollamaComGetsItsOwnRoutesWithTheKey() {
    client(
        new OllamaClientOptions()
            .setBaseUrl("http://ollama.com:" + wiremock.port())
            .setApiKey("key-1"));
    wiremock.stubFor(any(anyUrl()).willReturn(okJson("{\"results\":[]}")));
    client.webSearch(new WebSearchRequest("java", null)).await();
    client.webFetch(new WebFetchRequest("https://example.com")).await();
    wiremock.verify(
        postRequestedFor(urlPathEqualTo("/api/web_search"))
            .withHeader("Authorization", equalTo("Bearer key-1")));
    wiremock.verify(
        postRequestedFor(urlPathEqualTo("/api/web_fetch"))
            .withHeader("Authorization", equalTo("Bearer key-1")));
  }

  @Test
  void emptyQueryOrUrlIsRefusedBeforeSending() {
    client(new OllamaClientOptions().setBaseUrl("http://127.0.0.1:" + wiremock.port()));
    for (var call :
        java.util.List.of(
            client.webSearch(new WebSearchRequest("  ", null)),
            client.webSearch(new WebSearchRequest(null, null)),
            client.webFetch(new WebFetchRequest("")))) {
      LlmException e = assertInstanceOf(LlmException.class, OllamaStreamingTest.assertFails(call));
      assertEquals(ErrorKind.BAD_REQUEST, e.kind(), e.getMessage());
    }
    assertEquals(0, wiremock.getAllServeEvents().size());
  }

  // ---- 12.8: a redirect is not followed, not retryable, and names its target ----

  @Test
  void redirectIsNotFollowedAndNamesItsRedactedLocation() {
    client(new OllamaClientOptions().setBaseUrl("http://127.0.0.1:" + wiremock.port()));
    wiremock.stubFor(
        any(urlPathEqualTo("/api/version"))
            .willReturn(
                aResponse()
                    .withStatus(301)
                    .withHeader(
                        "Location",
                        "https://user:pw@127.0.0.1:"
                            + wiremock.port()
                            + "/moved/api/version?token=abc")));
    LlmException e =
        assertInstanceOf(LlmException.class, OllamaStreamingTest.assertFails(client.version()));
    assertEquals(ErrorKind.BAD_REQUEST, e.kind(), e.getMessage());
    assertFalse(e.kind().retryable());
    assertTrue(
        e.getMessage()
            .contains("https://127.0.0.1:" + wiremock.port() + "/moved/api/version?token=****"),
        e.getMessage());
    assertFalse(e.getMessage().contains("pw") || e.getMessage().contains("abc"), e.getMessage());
    assertEquals(1, wiremock.getAllServeEvents().size(), "the redirect was followed");
  }

  private static void askVersion(OllamaClient c) {
    assertEquals("0.12.10", c.version().await().version());
  }
}
