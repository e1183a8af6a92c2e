package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OllamaVersionTest {

  @ParameterizedTest
  @CsvSource({
    "0.33.0, 0.22.0, 1",
    "0.9.0, 0.10.0, -1",
    "0.33.0-rc2, 0.33.0, -1",
    "0.33.0-rc2, 0.33.0-rc10, -1",
    "0.33.0-rc10, 0.33.0-rc2, 1",
    "1.0.0, 0.99.99, 1",
    "v0.12.4, 0.12.4, 0",
    "0.12, 0.12.0, 0",
    "0.22.1, 0.22.0, 1",
  })
  void ordering(String a, String b, int expected) {
    assertEquals(
        expected, Integer.signum(OllamaVersion.parse(a).compareTo(OllamaVersion.parse(b))));
  }

  @Test
  void gating() {
    assertTrue(OllamaVersion.parse("0.33.0").isAtLeast("0.22.0"));
    assertTrue(OllamaVersion.parse("0.22.0").isAtLeast("0.22.0"));
    assertFalse(OllamaVersion.parse("0.21.9").isAtLeast("0.22.0"));
    assertFalse(OllamaVersion.parse("0.22.0-rc1").isAtLeast("0.22.0"));
    assertTrue(OllamaVersion.parse("0.33.0-rc2").isAtLeast("0.22.0"));
  }

  @Test
  void developmentBuildIsNewEnoughForAnything() {
    OllamaVersion dev = OllamaVersion.parse("0.0.0");
    assertTrue(dev.isDevelopment());
    assertTrue(dev.isAtLeast("0.33.0"));
    assertFalse(OllamaVersion.parse("0.0.1").isDevelopment());
    assertEquals(33, OllamaVersion.parse("0.33.0-rc2").minor());
    assertTrue(OllamaVersion.parse("0.33.0-rc2").isPreRelease());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "latest", "1.x", "0.1.2.3"})
  void rejectsGarbage(String s) {
    assertThrows(IllegalArgumentException.class, () -> OllamaVersion.parse(s));
  }
}
