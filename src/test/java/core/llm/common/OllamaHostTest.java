package core.llm.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of ollama-api.md §9.1 (Go rules + connectable-host mapping), plus edge cases. */
class OllamaHostTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', emptyValue = "", nullValues = "NULL", value = {
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
    assertEquals("http://10.0.0.2:11434", OllamaHost.fromEnv(Map.of("OLLAMA_HOST", "10.0.0.2")::get).toString());
    assertEquals(OllamaHost.DEFAULT, OllamaHost.fromEnv(k -> null));
  }
}
