package core.llm.providers.ollama.models;

import static core.llm.providers.ollama.models.Json.MAPPER;
import static core.llm.providers.ollama.models.Json.tree;
import static core.llm.providers.ollama.models.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnionTypesTest {

  // ---- think ----

  @Test
  void thinkWritesBooleansAndLevels() throws Exception {
    assertEquals("true", MAPPER.writeValueAsString(Think.of(true)));
    assertEquals("false", MAPPER.writeValueAsString(Think.of(false)));
    assertEquals("\"low\"", MAPPER.writeValueAsString(Think.LOW));
    assertEquals("\"max\"", MAPPER.writeValueAsString(Think.level("max")));
    assertFalse(Think.of(false).isEnabled());
    assertTrue(Think.MEDIUM.isEnabled());
    assertEquals(Optional.of("high"), Think.HIGH.level());
    assertEquals(Optional.empty(), Think.of(true).level());
  }

  @Test
  void thinkReadsBothForms() throws Exception {
    assertEquals(Think.of(true), MAPPER.readValue("true", Think.class));
    assertEquals(Think.MAX, MAPPER.readValue("\"max\"", Think.class));
    // forward compatible: an unknown level read from the wire is kept verbatim
    Think future = MAPPER.readValue("\"extreme\"", Think.class);
    assertEquals("\"extreme\"", MAPPER.writeValueAsString(future));
    assertThrows(JsonMappingException.class, () -> MAPPER.readValue("1", Think.class));
  }

  @Test
  void thinkRejectsUnknownLevelsWhenBuilding() {
    assertThrows(IllegalArgumentException.class, () -> Think.level("bogus"));
    assertThrows(IllegalArgumentException.class, () -> Think.level("HIGH"));
  }

  // ---- format ----

  @Test
  void formatBothDirections() throws Exception {
    assertEquals("\"json\"", MAPPER.writeValueAsString(Format.json()));
    assertTrue(MAPPER.readValue("\"json\"", Format.class).isJson());
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}";
    Format f = MAPPER.readValue(schema, Format.class);
    assertEquals(tree(schema), write(f));
    assertEquals(tree(schema), f.schema().orElseThrow());
    assertEquals(f, Format.schema(tree(schema)));
    assertEquals(
        f,
        Format.schema(
            Map.of("type", "object", "properties", Map.of("a", Map.of("type", "string")))));
    Format none = MAPPER.readValue("\"\"", Format.class);
    assertTrue(none.isNone());
    assertEquals("\"\"", MAPPER.writeValueAsString(none));
    assertThrows(JsonMappingException.class, () -> MAPPER.readValue("[1]", Format.class));
    assertThrows(IllegalArgumentException.class, () -> Format.schema(tree("[]")));
  }

  // ---- keep_alive ----

  @Test
  void keepAliveBuiltValuesAreNumbersOfSeconds() throws Exception {
    assertEquals("300", MAPPER.writeValueAsString(KeepAlive.of(Duration.ofMinutes(5))));
    assertEquals("42.5", MAPPER.writeValueAsString(KeepAlive.of(Duration.ofMillis(42_500))));
    assertEquals("0.3", MAPPER.writeValueAsString(KeepAlive.of(Duration.ofMillis(300))));
    assertEquals("-1", MAPPER.writeValueAsString(KeepAlive.FOREVER));
    assertEquals("0", MAPPER.writeValueAsString(KeepAlive.UNLOAD));
    assertTrue(KeepAlive.FOREVER.isForever());
    assertTrue(KeepAlive.UNLOAD.isUnload());
    assertFalse(KeepAlive.ofSeconds(10).isForever());
  }

  @ParameterizedTest
  @CsvSource({
    "300ms, PT0.3S",
    "10m, PT10M",
    "1h30m, PT1H30M",
    "-1m, PT-1M",
    "5m0s, PT5M",
    "1.5h, PT1H30M",
    "2h45m30.5s, PT2H45M30.5S",
    "100us, PT0.0001S",
  })
  void keepAliveStringsWithUnitsAreKeptVerbatim(String text, String iso) throws Exception {
    KeepAlive k = MAPPER.readValue("\"" + text + "\"", KeepAlive.class);
    assertEquals(Duration.parse(iso), k.duration());
    assertEquals("\"" + text + "\"", MAPPER.writeValueAsString(k));
  }

  @Test
  void keepAliveZeroStringIsAcceptedAsIs() throws Exception {
    KeepAlive k = MAPPER.readValue("\"0\"", KeepAlive.class);
    assertTrue(k.isUnload());
    assertEquals("\"0\"", MAPPER.writeValueAsString(k));
  }

  @ParameterizedTest
  @CsvSource({"'\"300\"', 300", "'\"-1\"', -1", "'\"42.5\"', 42.5"})
  void keepAliveUnitlessStringsAreRepairedIntoNumbers(String json, String number) throws Exception {
    KeepAlive k = MAPPER.readValue(json, KeepAlive.class);
    String written = MAPPER.writeValueAsString(k);
    assertEquals(tree(number), tree(written));
    assertTrue(tree(written).isNumber(), written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"300", "-1", "42.5", "0", "3600"})
  void keepAliveNumbersRoundTripExactly(String json) throws Exception {
    KeepAlive k = MAPPER.readValue(json, KeepAlive.class);
    assertEquals(tree(json), tree(MAPPER.writeValueAsString(k)));
  }

  @Test
  void keepAliveNumbersAreSeconds() throws Exception {
    assertEquals(Duration.ofMillis(42_500), MAPPER.readValue("42.5", KeepAlive.class).duration());
    assertTrue(MAPPER.readValue("-1", KeepAlive.class).isForever());
    assertEquals(KeepAlive.ofSeconds(300), MAPPER.readValue("\"300\"", KeepAlive.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"5 minutes\"", "\"10x\"", "\"\"", "\"m\"", "true", "[1]"})
  void keepAliveRejectsGarbage(String json) {
    assertThrows(JsonMappingException.class, () -> MAPPER.readValue(json, KeepAlive.class));
  }

  @Test
  void keepAliveNeverWritesAUnitlessString() throws Exception {
    for (String in : List.of("\"300\"", "\"-1\"", "\"0.5\"", "\"+7\"")) {
      String out = MAPPER.writeValueAsString(MAPPER.readValue(in, KeepAlive.class));
      assertTrue(tree(out).isNumber(), in + " was written as " + out);
    }
    for (Duration d :
        List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofDays(3), Duration.ofSeconds(-5))) {
      assertTrue(write(KeepAlive.of(d)).isNumber(), d.toString());
    }
  }

  // ---- embed input and string-or-list ----

  @Test
  void embedInputKeepsItsForm() throws Exception {
    EmbedInput one = MAPPER.readValue("\"hello\"", EmbedInput.class);
    assertFalse(one.isBatch());
    assertEquals(List.of("hello"), one.texts());
    assertEquals("\"hello\"", MAPPER.writeValueAsString(one));
    EmbedInput many = MAPPER.readValue("[\"a\",\"b\"]", EmbedInput.class);
    assertTrue(many.isBatch());
    assertEquals("[\"a\",\"b\"]", MAPPER.writeValueAsString(many));
    assertEquals("[\"x\"]", MAPPER.writeValueAsString(EmbedInput.of(List.of("x"))));
    assertEquals("\"x\"", MAPPER.writeValueAsString(EmbedInput.of("x")));
    assertThrows(JsonMappingException.class, () -> MAPPER.readValue("[\"a\",1]", EmbedInput.class));
    assertThrows(JsonMappingException.class, () -> MAPPER.readValue("7", EmbedInput.class));
  }

  @Test
  void stringOrListKeepsItsForm() throws Exception {
    assertEquals(
        "\"MIT\"", MAPPER.writeValueAsString(MAPPER.readValue("\"MIT\"", StringOrList.class)));
    assertEquals(
        "[\"MIT\"]", MAPPER.writeValueAsString(MAPPER.readValue("[\"MIT\"]", StringOrList.class)));
    assertEquals(List.of("a", "b"), StringOrList.of("a", "b").values());
  }
}
