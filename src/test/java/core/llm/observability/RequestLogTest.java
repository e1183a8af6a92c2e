package core.llm.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.ErrorContext;
import core.llm.common.UnauthorizedException;
import core.llm.providers.base.LlmProvider;
import core.llm.providers.mock.MockReply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The request log through System.Logger (JUL here): one line per request, and never a secret. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class RequestLogTest {
  static final String KEY = "sk-planted-7f3a9c1e5b2d4f6a8c0e";
  static final String OTHER_KEY = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4";

  final List<String> lines = new CopyOnWriteArrayList<>();
  final Logger jul = Logger.getLogger(RequestLog.LOGGER);
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  @TempDir Path dir;

  @BeforeEach
  void capture() {
    jul.addHandler(capture);
    jul.setLevel(Level.ALL); // DEBUG lines (probes) too
  }

  @AfterEach
  void release() {
    jul.removeHandler(capture);
    jul.setLevel(null);
  }

  @Test
  void oneLinePerRequestWithoutSecrets(Vertx vertx) throws Exception {
    Observability obs = Observability.builder().metrics(MetricsSink.NOOP).logContent(true).build();
    try (Fixture f = new Fixture(vertx, dir, obs, Map.of("PLANTED_KEY", KEY))) {
      LlmProvider a = f.factory.provider("a").await();
      // the reply quotes the key and a header; the prompt carries an Authorization header
      f.mock("a")
          .nextReply(
              MockReply.text("your key is " + KEY + " and Authorization: Bearer " + OTHER_KEY),
              MockReply.failure(
                  new UnauthorizedException(
                      "invalid api key " + KEY + " (Authorization: Bearer " + KEY + ")",
                      null,
                      new ErrorContext("a", "POST /chat", 401, "bad key " + KEY, null))));
      a.chat(
              Fixture.req(
                  "m", "call it with Authorization: Bearer " + KEY + " and api_key=" + OTHER_KEY))
          .await();
      try {
        a.chat(Fixture.req("m", "again")).await();
      } catch (RuntimeException expected) {
        // the failure's message quotes the key: it must not reach the log
      }
      a.health().await();
    }
    assertEquals(3, lines.size(), lines.toString());
    String ok = lines.get(0);
    assertTrue(ok.startsWith("INFO llm request id="), ok);
    for (String part :
        List.of(
            "provider=a",
            "model=m",
            "op=chat",
            "outcome=success",
            "latencyMs=",
            "promptTokens=",
            "completionTokens=",
            "prompt=\"call it with",
            "reply=\"your key is ****")) {
      assertTrue(ok.contains(part), part + " in " + ok);
    }
    assertTrue(
        lines.get(1).startsWith("WARNING ")
            && lines.get(1).contains("outcome=unauthorized status=401"),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("DEBUG") || lines.get(2).startsWith("FINE"), lines.get(2));
    for (String line : lines) {
      assertFalse(line.contains(KEY), "key leaked: " + line);
      assertFalse(line.contains(OTHER_KEY), "key leaked: " + line);
      assertFalse(line.contains("7f3a9c1e5b2d"), "part of a key leaked: " + line);
    }
  }

  @Test
  void contentIsOffByDefault(Vertx vertx) throws Exception {
    Observability obs = Observability.builder().metrics(MetricsSink.NOOP).build();
    try (Fixture f = new Fixture(vertx, dir, obs, Map.of("PLANTED_KEY", KEY))) {
      f.factory.provider("a").await().chat(Fixture.req("m", "a private question")).await();
    }
    assertEquals(1, lines.size());
    assertFalse(lines.get(0).contains("private"), lines.get(0));
    assertFalse(lines.get(0).contains("prompt="), lines.get(0));
  }

  @Test
  void redactorMasksCredentialShapes() {
    String masked =
        Redactor.redact(
            "Authorization: Bearer abc.def-123 x-api-key="
                + KEY
                + " password=hunter2 "
                + "{\"api_key\":\"zzz999\"} sk-ant-api03-abcdefghij eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig "
                + "token=abc12345 a plain sentence about tokens");
    assertFalse(masked.contains("abc.def-123"), masked);
    assertFalse(masked.contains(KEY), masked);
    assertFalse(masked.contains("hunter2"), masked);
    assertFalse(masked.contains("zzz999"), masked);
    assertFalse(masked.contains("abcdefghij"), masked);
    assertFalse(masked.contains("eyJzdWIi"), masked);
    assertFalse(masked.contains("abc12345"), masked);
    assertTrue(masked.contains("a plain sentence about tokens"), masked);
    assertEquals(
        "promptTokens=12 completionTokens=40 model=llama3.2:latest",
        Redactor.redact("promptTokens=12 completionTokens=40 model=llama3.2:latest"));
  }
}
