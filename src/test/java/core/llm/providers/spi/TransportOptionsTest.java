package core.llm.providers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.anthropic.AnthropicOptions;
import core.llm.providers.ollama.OllamaClientOptions;
import core.llm.providers.openai.OpenAiOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The shared transport options: symmetric JSON for all three providers, and what they apply. */
class TransportOptionsTest {
  private static final String SECRET = "s3cret-PLANTED-42";

  /** Every shared setting changed from its default, plus secrets that must not be written. */
  private static <T extends TransportOptions<T>> T everything(T o, String baseUrl) {
    return o.setName("custom")
        .setBaseUrl(baseUrl)
        .setApiKey(SECRET)
        .setConnectTimeout(Duration.ofSeconds(3))
        .setFirstByteTimeout(Duration.ofMinutes(2))
        .setIdleTimeout(null)
        .setTotalTimeout(Duration.ofHours(1))
        .setMaxPoolSize(256)
        .setHttp2MaxPoolSize(4)
        .setHttp2(true)
        .setH2cPriorKnowledge(true)
        .setMaxLineSize(1024)
        .setMaxBodySize(2048)
        .setMaxBufferedBytes(4096)
        .setMaxResultSize(512)
        .addHeader("X-Team", "search")
        .addHeader("Authorization", "Bearer " + SECRET)
        .setProxyOptions(
            new ProxyOptions()
                .setHost("proxy.corp")
                .setPort(3128)
                .setType(ProxyType.SOCKS5)
                .setUsername("svc")
                .setPassword(SECRET))
        .setTrustStorePath("/etc/ca.p12")
        .setTrustStorePassword(SECRET)
        .setCertificatePath("/etc/client.pem")
        .setKeyPath("/etc/client-key.pem")
        .setTrustAll(true);
  }

  private static <T extends TransportOptions<T>> void assertRoundTrip(
      T original, Function<JsonObject, T> fromJson) {
    JsonObject json = original.toJson();
    assertFalse(json.encode().contains(SECRET), json.encode());
    assertFalse(original.toString().contains(SECRET), original.toString());
    T back = fromJson.apply(json);
    assertEquals(json, back.toJson(), "toJson -> JSON constructor -> toJson");
    // and the settings themselves
    assertEquals("custom", back.getName());
    assertEquals(original.getBaseUrl(), back.getBaseUrl());
    assertEquals(original.getTimeouts(), back.getTimeouts());
    assertNull(back.getIdleTimeout(), "an explicit 'no limit' survives the round trip");
    assertEquals(256, back.getMaxPoolSize());
    assertEquals(4, back.getHttp2MaxPoolSize());
    assertTrue(back.isHttp2());
    assertTrue(back.isH2cPriorKnowledge());
    assertEquals(1024, back.getMaxLineSize());
    assertEquals(2048, back.getMaxBodySize());
    assertEquals(4096, back.getMaxBufferedBytes());
    assertEquals(512, back.getMaxResultSize());
    assertEquals("search", back.getHeaders().get("X-Team"));
    assertFalse(
        back.getHeaders().containsKey("Authorization"), "credential headers are not written");
    assertEquals("proxy.corp", back.getProxyOptions().getHost());
    assertEquals(3128, back.getProxyOptions().getPort());
    assertEquals(ProxyType.SOCKS5, back.getProxyOptions().getType());
    assertEquals("svc", back.getProxyOptions().getUsername());
    assertNull(back.getProxyOptions().getPassword());
    assertEquals("/etc/ca.p12", back.getTrustStorePath());
    assertEquals(TransportOptions.TrustStoreType.PKCS12, back.effectiveTrustStoreType());
    assertNull(back.getTrustStorePassword());
    assertEquals("/etc/client.pem", back.getCertificatePath());
    assertEquals("/etc/client-key.pem", back.getKeyPath());
    assertTrue(back.isTrustAll());
    assertNull(back.getApiKey());
  }

  @Test
  void ollamaOptionsRoundTrip() {
    OllamaClientOptions o =
        everything(new OllamaClientOptions(), "http://gpu:11434")
            .setMetadataTimeout(Duration.ofSeconds(3))
            .setUserAgent("ua/1");
    assertRoundTrip(o, OllamaClientOptions::new);
    OllamaClientOptions back = new OllamaClientOptions(o.toJson());
    assertEquals(Duration.ofSeconds(3), back.getMetadataTimeout());
    assertEquals("ua/1", back.getUserAgent());
    assertEquals(o.toJson(), new OllamaClientOptions(o).toJson(), "copy constructor");
  }

  @Test
  void openAiOptionsRoundTrip() {
    OpenAiOptions o =
        everything(new OpenAiOptions(), "https://gw.example/v1")
            .setOrganization("org-1")
            .setProject("proj-1");
    assertRoundTrip(o, OpenAiOptions::new);
    OpenAiOptions back = new OpenAiOptions(o.toJson());
    assertEquals("org-1", back.getOrganization());
    assertEquals("proj-1", back.getProject());
    assertEquals(o.toJson(), new OpenAiOptions(o).toJson(), "copy constructor");
  }

  @Test
  void anthropicOptionsRoundTrip() {
    AnthropicOptions o =
        everything(new AnthropicOptions(), "https://gw.example/anthropic")
            .setAnthropicVersion("2099-01-01")
            .setDefaultMaxTokens(77)
            .addBeta("b1");
    assertRoundTrip(o, AnthropicOptions::new);
    AnthropicOptions back = new AnthropicOptions(o.toJson());
    assertEquals("2099-01-01", back.getAnthropicVersion());
    assertEquals(77, back.getDefaultMaxTokens());
    assertEquals(List.of("b1"), back.getBetas());
    assertEquals(o.toJson(), new AnthropicOptions(o).toJson(), "copy constructor");
  }

  @Test
  void defaultsRoundTripAndAreDocumentedValues() {
    for (TransportOptions<?> o :
        List.<TransportOptions<?>>of(
            new OllamaClientOptions(), new OpenAiOptions(), new AnthropicOptions())) {
      assertEquals(TransportOptions.DEFAULT_TIMEOUTS, o.getTimeouts());
      assertEquals(64, o.getMaxPoolSize());
      assertEquals(1, o.getHttp2MaxPoolSize());
      assertFalse(o.isHttp2());
      assertFalse(o.isTrustAll());
      assertNull(o.getProxyOptions());
    }
    assertEquals(
        new OllamaClientOptions().toJson(),
        new OllamaClientOptions(new OllamaClientOptions().toJson()).toJson());
    assertEquals(
        new OpenAiOptions().toJson(), new OpenAiOptions(new OpenAiOptions().toJson()).toJson());
    assertEquals(
        new AnthropicOptions().toJson(),
        new AnthropicOptions(new AnthropicOptions().toJson()).toJson());
    assertEquals(32 * 1024 * 1024, new AnthropicOptions().getMaxBodySize());
    assertEquals(256 * 1024 * 1024, new OpenAiOptions().getMaxBodySize());
    // the derived HTTP/2 pool: 100 streams a connection
    assertEquals(3, new OpenAiOptions().setMaxPoolSize(256).getHttp2MaxPoolSize());
  }

  @Test
  void settersReturnTheConcreteType() {
    // compiles only because setMaxPoolSize returns OpenAiOptions, not TransportOptions
    OpenAiOptions o = new OpenAiOptions().setMaxPoolSize(8).setOrganization("o").setHttp2(true);
    assertEquals(8, o.getMaxPoolSize());
    assertThrows(IllegalArgumentException.class, () -> o.setMaxPoolSize(0));
  }

  @Test
  void anthropicStillReadsTheNestedTimeouts() {
    AnthropicOptions o =
        new AnthropicOptions(
            new JsonObject().put("timeouts", new JsonObject().put("firstByte", 1500)));
    assertEquals(1500, o.getTimeouts().firstByte().toMillis());
  }

  @Test
  void theVertxOptionsCarryEverySetting() {
    OpenAiOptions o =
        new OpenAiOptions()
            .setBaseUrl("https://gw.example/v1")
            .setMaxPoolSize(256)
            .setHttp2(true)
            .setProxyOptions(
                new ProxyOptions().setHost("proxy").setPort(8080).setUsername("u").setPassword("p"))
            .setTrustStorePath("ca.pem")
            .setCertificatePath("c.pem")
            .setKeyPath("k.pem");
    HttpClientOptions http = o.toHttpClientOptions();
    assertEquals(HttpVersion.HTTP_2, http.getProtocolVersion());
    assertTrue(http.isUseAlpn());
    assertEquals("proxy", http.getProxyOptions().getHost());
    assertEquals(8080, http.getProxyOptions().getPort());
    assertEquals("p", http.getProxyOptions().getPassword());
    assertEquals(
        List.of("ca.pem"),
        assertInstanceOf(PemTrustOptions.class, http.getTrustOptions()).getCertPaths());
    PemKeyCertOptions key = assertInstanceOf(PemKeyCertOptions.class, http.getKeyCertOptions());
    assertEquals("c.pem", key.getCertPath());
    assertEquals("k.pem", key.getKeyPath());
    assertFalse(http.isTrustAll());
    assertEquals(10_000, http.getConnectTimeout());
    assertEquals(256, o.toPoolOptions().getHttp1MaxSize());
    assertEquals(3, o.toPoolOptions().getHttp2MaxSize());

    assertInstanceOf(
        JksOptions.class,
        new OpenAiOptions().setTrustStorePath("a.jks").toHttpClientOptions().getTrustOptions());
    assertInstanceOf(
        PfxOptions.class,
        new OpenAiOptions().setTrustStorePath("a.p12").toHttpClientOptions().getTrustOptions());
    HttpClientOptions h2c =
        new OllamaClientOptions().setHttp2(true).setH2cPriorKnowledge(true).toHttpClientOptions();
    assertFalse(h2c.isHttp2ClearTextUpgrade());
    assertFalse(h2c.isUseAlpn());
    HttpClientOptions plain = new OllamaClientOptions().toHttpClientOptions();
    assertEquals(HttpVersion.HTTP_1_1, plain.getProtocolVersion());
    assertNull(plain.getProxyOptions());
    assertFalse(plain.isTrustAll(), "trustAll only when set");
    HttpClientOptions all = new OllamaClientOptions().setTrustAll(true).toHttpClientOptions();
    assertTrue(all.isTrustAll());
    assertFalse(all.isVerifyHost());
    assertThrows(
        IllegalStateException.class,
        () -> new OpenAiOptions().setCertificatePath("c.pem").toHttpClientOptions());
  }
}
