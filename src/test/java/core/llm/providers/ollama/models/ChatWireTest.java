package core.llm.providers.ollama.models;

import static core.llm.providers.ollama.models.Json.MAPPER;
import static core.llm.providers.ollama.models.Json.roundTrip;
import static core.llm.providers.ollama.models.Json.tree;
import static core.llm.providers.ollama.models.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatWireTest {

  @Test
  void goClientRequestWithToolsAndHistoryRoundTrips() throws Exception {
    String json =
        """
                {"model":"qwen3","stream":true,"think":"max","keep_alive":"1h30m","truncate":false,"shift":true,
                 "format":{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]},
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"user","content":"weather?","images":["AQID"]},
                   {"role":"assistant","content":"","thinking":"need tool","tool_calls":[
                     {"id":"call_ab12cd34","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris","units":"c"}}},
                     {"function":{"index":1,"name":"get_time","arguments":{}}}]},
                   {"role":"tool","content":"18C","tool_name":"get_weather","tool_call_id":"call_ab12cd34"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                   "parameters":{"type":"object","$defs":{"unit":{"enum":["c","f"]}},"required":["city"],
                     "properties":{"city":{"type":"string","description":"City"},
                                   "units":{"type":["string","null"],"enum":["c","f",null]},
                                   "when":{"anyOf":[{"type":"string"},{"type":"integer"}]},
                                   "where":{"type":"object","properties":{"lat":{"type":"number"}},"required":["lat"]},
                                   "tags":{"type":"array","items":{"type":"string"}}}}}}],
                 "brand_new_field":"future"}
                """;
    ChatRequest r = roundTrip(json, ChatRequest.class);
    assertEquals(Think.MAX, r.think());
    assertEquals("future", r.extra().get("brand_new_field"));
    ToolProperty units = r.tools().get(0).function().parameters().properties().get("units");
    assertTrue(units.type().isList());
    assertEquals(List.of("string", "null"), units.type().values());
    assertEquals(
        List.of("city", "units", "when", "where", "tags"),
        List.copyOf(r.tools().get(0).function().parameters().properties().keySet()));
    assertEquals(
        List.of("city", "units"),
        List.copyOf(r.messages().get(2).toolCalls().get(0).function().arguments().keySet()));
    assertNull(r.messages().get(2).toolCalls().get(1).id());
  }

  @Test
  void pythonStyleToolCallWithoutIndexKeepsIndexAbsent() throws Exception {
    ChatRequest r =
        roundTrip(
            """
                {"model":"m","messages":[{"role":"assistant","content":"",
                  "tool_calls":[{"function":{"name":"f","arguments":{"b":1,"a":2}}}]}]}
                """,
            ChatRequest.class);
    assertNull(r.messages().get(0).toolCalls().get(0).function().index());
  }

  @Test
  void stringArgumentsAreParsedIntoAnObject() throws Exception {
    Message m =
        MAPPER.readValue(
            """
                {"role":"assistant","content":"","tool_calls":[{"id":"c1","function":{"index":0,"name":"f",
                  "arguments":"{\\"z\\":1,\\"a\\":{\\"b\\":[true]}}"}}]}
                """,
            Message.class);
    Map<String, Object> args = m.toolCalls().get(0).function().arguments();
    assertEquals(List.of("z", "a"), List.copyOf(args.keySet()));
    assertEquals(
        tree(
            """
                {"role":"assistant","content":"","tool_calls":[{"id":"c1","function":{"index":0,"name":"f",
                  "arguments":{"z":1,"a":{"b":[true]}}}}]}
                """),
        write(m));
  }

  @Test
  void stringArgumentsThatAreNotAnObjectFailToParse() {
    assertThrows(
        MismatchedInputException.class,
        () ->
            MAPPER.readValue(
                "{\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}", MessageToolCall.class));
    assertThrows(
        MismatchedInputException.class,
        () ->
            MAPPER.readValue(
                "{\"function\":{\"name\":\"f\",\"arguments\":42}}", MessageToolCall.class));
  }

  @Test
  void toolCallFactories() throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("b", 1);
    args.put("a", "x");
    assertEquals(
        tree("{\"function\":{\"index\":0,\"name\":\"f\",\"arguments\":{\"b\":1,\"a\":\"x\"}}}"),
        write(MessageToolCall.of("f", args)));
    assertEquals(
        "{\"function\":{\"index\":0,\"name\":\"f\",\"arguments\":{\"b\":1,\"a\":\"x\"}}}",
        MAPPER.writeValueAsString(MessageToolCall.of("f", args)));
    assertEquals(
        MessageToolCall.of("f", args), MessageToolCall.ofJson("f", "{\"b\":1,\"a\":\"x\"}"));
    assertEquals(
        tree("{\"function\":{\"index\":0,\"name\":\"f\",\"arguments\":{}}}"),
        write(MessageToolCall.ofJson("f", "")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MessageToolCall.ofJson("f", "\"just a string\""));
    assertTrue(e.getMessage().contains("must be a JSON object"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MessageToolCall.ofJson("f", "{not json"));
  }

  @Test
  void builderAndMessageFactories() throws Exception {
    ChatRequest r =
        ChatRequest.builder("llama3.2")
            .message(Message.system("be nice"))
            .message(
                Message.builder(Message.USER)
                    .content("look")
                    .image("data:image/jpeg;base64,/9j/4AAQ")
                    .build())
            .message(
                Message.builder(Message.ASSISTANT)
                    .toolCall(MessageToolCall.of("f", Map.of()))
                    .build())
            .message(Message.tool("f", "42", "call_1"))
            .tool(
                Tool.function(
                    "f",
                    "does f",
                    tree(
                        """
                        {"type":"object","properties":{"x":{"type":"string","minimum":3}},"additionalProperties":false}
                        """)))
            .stream(true)
            .format(Format.json())
            .keepAlive(KeepAlive.UNLOAD)
            .options(Options.builder().temperature(0.0).stop("\n").build())
            .build();
    assertEquals(
        tree(
            """
                {"model":"llama3.2","stream":true,"format":"json","keep_alive":0,
                 "options":{"temperature":0.0,"stop":["\\n"]},
                 "messages":[{"role":"system","content":"be nice"},
                   {"role":"user","content":"look","images":["/9j/4AAQ"]},
                   {"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"f","arguments":{}}}]},
                   {"role":"tool","content":"42","tool_name":"f","tool_call_id":"call_1"}],
                 "tools":[{"type":"function","function":{"name":"f","description":"does f",
                   "parameters":{"type":"object","properties":{"x":{"type":"string"}}}}}]}
                """),
        write(r));
    assertEquals(Boolean.FALSE, r.withStream(false).stream());
    assertEquals(
        tree(
            "{\"type\":\"function\",\"function\":{\"name\":\"g\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}"),
        write(Tool.function("g", null, (ToolParameters) null)));
  }

  @Test
  void streamedChunksAndFinalChunkRoundTrip() throws Exception {
    roundTrip(
        """
                {"model":"m","created_at":"2026-08-21T10:15:30.1Z","message":{"role":"assistant","content":"","thinking":"Let me"},"done":false}
                """,
        ChatResponse.class);
    ChatResponse last =
        roundTrip(
            """
                {"model":"m","created_at":"2026-08-21T10:15:31.123456Z","message":{"role":"assistant","content":"!",
                  "tool_calls":[{"id":"call_x1y2z3w4","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}}]},
                 "done":true,"done_reason":"stop","total_duration":123,"load_duration":4,"prompt_eval_count":12,
                 "prompt_eval_duration":5,"eval_count":3,"eval_duration":6,"brand_new_field":[1]}
                """,
            ChatResponse.class);
    assertTrue(last.done());
    assertEquals("Paris", last.message().toolCalls().get(0).function().arguments().get("city"));
    assertEquals(List.of(1), last.extra().get("brand_new_field"));
  }

  @Test
  void messageKeepsUnknownFields() throws Exception {
    Message m =
        roundTrip(
            "{\"role\":\"user\",\"content\":\"hi\",\"brand_new_field\":{\"a\":1}}", Message.class);
    assertEquals(Map.of("a", 1), m.extra().get("brand_new_field"));
    assertFalse(write(Message.user("x")).has("extra"));
  }

  @Test
  void builtAndParsedRecordsAreEqual() throws Exception {
    Message built = Message.user("hi");
    Message parsed = MAPPER.readValue("{\"role\":\"user\",\"content\":\"hi\"}", Message.class);
    assertEquals(built, parsed);
  }
}
