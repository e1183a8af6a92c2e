package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OllamaClient#requestHeaders()}: what the gateway forwards with model management must be
 * what the client itself sends (the API key only to ollama.com, else the URL's credentials, custom
 * headers over both, the supplier's last).
 */
class OllamaRequestHeadersTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private MultiMap headers(OllamaClientOptions options) {
    OllamaClient c = OllamaClient.create(vertx, options);
    try {
      return c.requestHeaders();
    } finally {
      c.close().await();
    }
  }

  @Test
  void theApiKeyGoesToOllamaComOnly() {
    MultiMap cloud =
        headers(new OllamaClientOptions().setBaseUrl("https://ollama.com").setApiKey("k-1"));
    assertEquals("Bearer k-1", cloud.get("authorization"));
    MultiMap local =
        headers(new OllamaClientOptions().setBaseUrl("http://127.0.0.1:11434").setApiKey("k-1"));
    assertNull(local.get("authorization"), "a local host does not get the ollama.com key");
    assertTrue(local.get("user-agent").startsWith("core-llm"), local.get("user-agent"));
  }

  @Test
  void urlCredentialsThenCustomHeadersThenTheSupplier() {
    MultiMap basic = headers(new OllamaClientOptions().setBaseUrl("http://u:p@127.0.0.1:11434"));
    assertTrue(basic.get("authorization").startsWith("Basic "), basic.get("authorization"));

    OllamaClientOptions o = new OllamaClientOptions().setBaseUrl("http://u:p@127.0.0.1:11434");
    o.setHeaders(Map.of("Authorization", "Bearer custom", "X-Team", "search"));
    o.setHeaderSupplier(() -> Map.of("X-Team", "from-supplier"));
    MultiMap custom = headers(o);
    assertEquals("Bearer custom", custom.get("authorization"), "custom headers win");
    assertEquals("from-supplier", custom.get("x-team"), "the supplier's come last");
  }

  @Test
  void aDerivedClientAddsItsOwnHeaders() {
    OllamaClient c =
        OllamaClient.create(vertx, new OllamaClientOptions().setBaseUrl("http://127.0.0.1:1"));
    MultiMap h = c.with(null, Map.of("X-Request", "one")).requestHeaders();
    assertEquals("one", h.get("x-request"));
    assertTrue(h.contains("user-agent"));
    c.close().await();
  }
}
