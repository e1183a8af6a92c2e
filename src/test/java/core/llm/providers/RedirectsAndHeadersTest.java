package core.llm.providers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;
import core.llm.providers.anthropic.AnthropicOptions;
import core.llm.providers.anthropic.AnthropicProvider;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.ollama.OllamaClient;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.ollama.OllamaProvider;
import core.llm.providers.openai.OpenAiOptions;
import core.llm.providers.openai.OpenAiProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules every HTTP provider shares: a redirect is one non-retryable error naming its redacted
 * target (never followed), custom headers do not replace the protocol's Accept and Content-Type,
 * and base URLs are checked when set (WireMock captures what is sent).
 */
@Timeout(30)
class RedirectsAndHeadersTest {
  private static WireMockServer wiremock;
  private Vertx vertx;
  private LlmProvider provider;

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
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close().await();
    }
    vertx.close().await();
  }

  private String base() {
    return "http://127.0.0.1:" + wiremock.port();
  }

  private List<Function<Vertx, LlmProvider>> all() {
    return List.of(
        v ->
            OpenAiProvider.create(
                v, new OpenAiOptions().setBaseUrl(base() + "/v1").setApiKey("sk-test")),
        v -> AnthropicProvider.create(v, new AnthropicOptions().setBaseUrl(base()).setApiKey("ak")),
        v ->
            new OllamaProvider(
                "ollama", OllamaClient.create(v, new OllamaClientOptions().setBaseUrl(base()))));
  }

  private static Throwable fails(Future<?> f) {
    try {
      f.await();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure, got " + f.result());
  }

  @Test
  void everyProviderMapsARedirectTheSameWay() {
    String location = "https://user:pw@gateway.example:8443/v2/models?api_key=abc";
    wiremock.stubFor(
        any(anyUrl()).willReturn(aResponse().withStatus(307).withHeader("Location", location)));
    for (Function<Vertx, LlmProvider> make : all()) {
      provider = make.apply(vertx);
      wiremock.resetRequests();
      LlmException e =
          assertInstanceOf(LlmException.class, fails(provider.listModels()), provider.type());
      assertEquals(ErrorKind.BAD_REQUEST, e.kind(), provider.type() + ": " + e.getMessage());
      assertFalse(e.kind().retryable());
      assertTrue(e.getMessage().contains("HTTP 307"), e.getMessage());
      assertTrue(
          e.getMessage().contains("https://gateway.example:8443/v2/models?api_key=****"),
          e.getMessage());
      assertFalse(e.getMessage().contains("pw") || e.getMessage().contains("abc"), e.getMessage());
      assertEquals(
          1, wiremock.getAllServeEvents().size(), provider.type() + " followed or retried");
      provider.close().await();
      provider = null;
    }
  }

  @Test
  void customHeadersDoNotReplaceProtocolHeaders() {
    wiremock.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("{}")));
    OpenAiOptions openAi = new OpenAiOptions().setBaseUrl(base() + "/v1").setApiKey("sk-test");
    openAi.getHeaders().put("Content-Type", "text/plain");
    openAi.getHeaders().put("Accept", "text/event-stream");
    openAi.getHeaders().put("User-Agent", "my-app/1.0");
    provider = OpenAiProvider.create(vertx, openAi);
    fails(provider.listModels());
    fails(provider.chat(CompletionRequest.builder("m").user("hi").build()));
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/v1/models"))
            .withHeader("Content-Type", absent())
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("User-Agent", equalTo("my-app/1.0")));
    wiremock.verify(
        postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("Accept", equalTo("application/json")));
  }

  @Test
  void userInfoBecomesBasicAuthorizationForGateways() {
    wiremock.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("{}")));
    provider =
        AnthropicProvider.create(
            vertx,
            new AnthropicOptions()
                .setBaseUrl("http://me:pw@127.0.0.1:" + wiremock.port() + "/gw")
                .setApiKey("ak"));
    LlmException e = assertInstanceOf(LlmException.class, fails(provider.listModels()));
    assertFalse(e.getMessage().contains("me:pw"), e.getMessage());
    wiremock.verify(
        getRequestedFor(urlPathEqualTo("/gw/v1/models"))
            .withHeader(
                "Authorization",
                equalTo(
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString("me:pw".getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void baseUrlsAreCheckedWhenSet() {
    for (String bad : List.of("localhost:8000/v1", "http://x/v1?key=abc", "ftp://x")) {
      BadRequestException e =
          assertThrows(BadRequestException.class, () -> new OpenAiOptions().setBaseUrl(bad));
      assertTrue(e.getMessage().contains("Accepted forms"), e.getMessage());
      assertThrows(BadRequestException.class, () -> new AnthropicOptions().setBaseUrl(bad));
    }
  }
}
