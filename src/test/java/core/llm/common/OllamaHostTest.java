package core.llm.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of ollama-api.md §9.1 (Go rules + connectable-host mapping), plus edge cases. */
class OllamaHostTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      nullValues = "NULL",
      value = {
        "NULL                         | http://127.0.0.1:11434",
        "''                           | http://127.0.0.1:11434",
        "'   '                        | http://127.0.0.1:11434",
        "1.2.3.4                      | http://1.2.3.4:11434",
        // Go keeps an empty host; an empty host is "all interfaces", so it is made connectable.
        ":1234                        | http://127.0.0.1:1234",
        "example.com                  | http://example.com:11434",
        "example.com:1234             | http://example.com:1234",
        "http://example.com           | http://example.com:80",
        "https://example.com          | https://example.com:443",
        "https://example.com/ollama   | https://example.com:443/ollama",
        "https://example.com/ollama/  | https://example.com:443/ollama",
        "http://example.com:8080/a/b/ | http://example.com:8080/a/b",
        "ollama.com                   | https://ollama.com:443",
        "https://ollama.com           | https://ollama.com:443",
        "ollama.com:11434             | http://ollama.com:11434",
        "::1                          | http://[::1]:11434",
        "[::1]                        | http://[::1]:11434",
        "[::1]:8080                   | http://[::1]:8080",
        "http://[::1]                 | http://[::1]:80",
        "0.0.0.0                      | http://127.0.0.1:11434",
        "0.0.0.0:9999                 | http://127.0.0.1:9999",
        "::                           | http://[::1]:11434",
        "[::]                         | http://[::1]:11434",
        "[::]:7000                    | http://[::1]:7000",
        ":66000                       | http://127.0.0.1:11434",
        "example.com:abc              | http://example.com:11434",
        "https://example.com:99999    | https://example.com:443",
        "'  \"example.com:1234\"  '   | http://example.com:1234",
        "'''1.2.3.4'''                | http://1.2.3.4:11434",
        "HTTP://Example.com           | http://Example.com:80",
      })
  void goRules(String in, String expected) {
    assertEquals(expected, OllamaHost.parse(in).toString());
  }

  @Test
  void fromEnv() {
    assertEquals(
        "http://10.0.0.2:11434",
        OllamaHost.fromEnv(Map.of("OLLAMA_HOST", "10.0.0.2")::get).toString());
    assertEquals(OllamaHost.DEFAULT, OllamaHost.fromEnv(k -> null));
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // user info is not the host, and an explicit port survives it
        "https://user:pass@x               | https://x:443              | user:pass",
        "http://user:pass@127.0.0.1:9      | http://127.0.0.1:9         | user:pass",
        "http://u%40corp:p%3Ass@host:1/api/ | http://host:1/api         | u@corp:p:ss",
        "http://user@[::1]:7000            | http://[::1]:7000          | 'user:'",
        "user:p@ss@example.com:1234        | http://example.com:1234    | user:p@ss",
      })
  void userInfoBecomesBasicAuthorization(String in, String expected, String credentials) {
    BaseUrl url = OllamaHost.resolve(in, "OLLAMA_HOST");
    assertEquals(expected, url.toString());
    assertEquals(expected, OllamaHost.parse(in).toString());
    assertNull(url.uri().getUserInfo());
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)),
        url.authorization());
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://x:1234?token=abc",
        "http://x:1234/path?token=abc",
        "x:1234#frag",
        "ftp://x:21",
        "http://user:secret@a b",
      })
  void rejectedAtOnceWithTheAcceptedForms(String in) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> OllamaHost.parse(in));
    assertEquals(ErrorKind.BAD_REQUEST, e.kind());
    assertTrue(e.getMessage().contains(BaseUrl.ACCEPTED_FORMS), e.getMessage());
    assertFalse(
        e.getMessage().contains("abc") || e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void noUserInfoNoAuthorization() {
    assertNull(OllamaHost.resolve("localhost:11434", "x").authorization());
    assertEquals("http://localhost:11434", OllamaHost.resolve("localhost:11434", "x").toString());
  }

  @Test
  void absoluteUrlsForOtherProviders() {
    assertEquals(
        "https://api.openai.com/v1",
        BaseUrl.absolute("https://api.openai.com/v1/", "b").toString());
    assertEquals(
        "http://localhost:8000/v1", BaseUrl.absolute(" http://localhost:8000/v1 ", "b").toString());
    BaseUrl creds = BaseUrl.absolute("https://me:pw@gw.example/anthropic", "b");
    assertEquals("https://gw.example/anthropic", creds.toString());
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString("me:pw".getBytes(StandardCharsets.UTF_8)),
        creds.authorization());
    for (String bad :
        new String[] {
          "localhost:8000/v1", "api.openai.com", "http://x:99999", "http://x/v1?k=v", ""
        }) {
      BadRequestException e =
          assertThrows(
              BadRequestException.class, () -> BaseUrl.absolute(bad, "OpenAiOptions.baseUrl"));
      assertTrue(e.getMessage().startsWith("Invalid OpenAiOptions.baseUrl: "), e.getMessage());
      assertTrue(e.getMessage().contains("Accepted forms: "), e.getMessage());
    }
  }

  @Test
  void printableDropsUserInfoAndMasksQueryValues() {
    assertEquals(
        "https://x:8443/a/b?token=****&x=****",
        BaseUrl.printable("https://user:pass@x:8443/a/b?token=abc&x=1"));
    assertEquals("/relative/path", BaseUrl.printable("/relative/path"));
    assertEquals("(unparseable URL)", BaseUrl.printable("http://a b"));
  }
}
