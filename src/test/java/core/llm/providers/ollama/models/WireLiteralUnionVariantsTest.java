package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON unions are sealed interfaces whose variants are records: a plain mapper writes each
 * variant as the literal wire form and reads the wire form into the matching variant.
 */
class WireLiteralUnionVariantsTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private static String write(Object value) throws Exception {
    return PLAIN.writeValueAsString(value);
  }

  @Test
  void eachUnionIsSealedOverItsRecordVariants() {
    assertPermits(Think.class, Think.Enabled.class, Think.Level.class);
    assertPermits(Format.class, Format.Text.class, Format.Schema.class);
    assertPermits(KeepAlive.class, KeepAlive.Seconds.class, KeepAlive.Text.class);
    assertPermits(EmbedInput.class, EmbedInput.Single.class, EmbedInput.Batch.class);
    assertPermits(StringOrList.class, StringOrList.Single.class, StringOrList.Many.class);
  }

  private static void assertPermits(Class<?> union, Class<?>... variants) {
    assertTrue(union.isSealed(), union + " is sealed");
    assertEquals(List.of(variants), Arrays.asList(union.getPermittedSubclasses()));
    for (Class<?> v : variants) {
      assertTrue(v.isRecord(), v + " is a record");
    }
  }

  @Test
  void thinkVariants() throws Exception {
    assertEquals("true", write(new Think.Enabled(true)));
    assertEquals("\"high\"", write(new Think.Level("high")));
    assertEquals(new Think.Enabled(false), PLAIN.readValue("false", Think.class));
    assertEquals(new Think.Level("extreme"), PLAIN.readValue("\"extreme\"", Think.class));
    assertInstanceOf(Think.Level.class, Think.MAX);
    assertEquals(
        "{\"model\":\"m\",\"think\":false}",
        write(ChatRequest.builder("m").think(new Think.Enabled(false)).build()));
  }

  @Test
  void formatVariants() throws Exception {
    assertEquals("\"json\"", write(new Format.Text("json")));
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    Format.Schema s = new Format.Schema(schema);
    schema.put("type", "changed"); // the variant took a copy
    assertEquals("{\"type\":\"object\"}", write(s));
    assertEquals(new Format.Text(""), PLAIN.readValue("\"\"", Format.class));
    assertEquals(s, PLAIN.readValue("{\"type\":\"object\"}", Format.class));
    assertEquals(new Format.Text("json"), Format.json());
  }

  @Test
  void keepAliveVariants() throws Exception {
    assertEquals("300", write(new KeepAlive.Seconds(new BigDecimal("300"))));
    assertEquals("300.0", write(new KeepAlive.Seconds(new BigDecimal("300.0"))));
    assertEquals("300", write(new KeepAlive.Seconds(new BigDecimal("3E+2"))));
    assertEquals("\"5m\"", write(new KeepAlive.Text("5m")));
    assertEquals(new KeepAlive.Text("1h30m"), PLAIN.readValue("\"1h30m\"", KeepAlive.class));
    KeepAlive read = PLAIN.readValue("42.5", KeepAlive.class);
    assertEquals(new BigDecimal("42.5"), ((KeepAlive.Seconds) read).seconds());
    assertEquals(
        "100000000000000000000000",
        write(PLAIN.readValue("100000000000000000000000", KeepAlive.class)));
    assertEquals(KeepAlive.ofSeconds(-1), KeepAlive.FOREVER);
    assertInstanceOf(KeepAlive.Seconds.class, KeepAlive.parse("300"));
    // the server refuses a unit-less string, so the variant cannot hold one
    assertThrows(IllegalArgumentException.class, () -> new KeepAlive.Text("300"));
    assertThrows(IllegalArgumentException.class, () -> new KeepAlive.Text("5 minutes"));
  }

  @Test
  void embedInputAndStringOrListVariants() throws Exception {
    assertEquals("\"a\"", write(new EmbedInput.Single("a")));
    assertEquals("[\"a\"]", write(new EmbedInput.Batch(List.of("a"))));
    assertEquals(
        new EmbedInput.Batch(List.of("a", "b")),
        PLAIN.readValue("[\"a\",\"b\"]", EmbedInput.class));
    assertEquals(new EmbedInput.Single("a"), PLAIN.readValue("\"a\"", EmbedInput.class));
    assertEquals("\"MIT\"", write(new StringOrList.Single("MIT")));
    assertEquals("[\"string\",\"null\"]", write(new StringOrList.Many(List.of("string", "null"))));
    assertEquals(
        new StringOrList.Many(List.of("x")), PLAIN.readValue("[\"x\"]", StringOrList.class));
    assertEquals("{\"input\":[\"x\"]}", write(Map.of("input", EmbedInput.of(List.of("x")))));
  }
}
