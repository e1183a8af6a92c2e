package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request record, serialised with a plain {@code new ObjectMapper()} and compared as a JSON
 * tree with literal JSON written from the API reference (docs reference/ollama-api.md §3, §4):
 * field order does not matter, every name, value and JSON type does, and fields that were not set
 * must be absent. A renamed {@code @JsonProperty} or a default written explicitly fails here, where
 * a round trip would not notice.
 */
class WireLiteralRequestTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  /** Asserts that {@code value} serialises to exactly the JSON {@code expected}. */
  static void assertWire(String expected, Object value) throws Exception {
    String written = PLAIN.writeValueAsString(value);
    JsonNode want = PLAIN.readTree(expected);
    JsonNode got = PLAIN.readTree(written);
    assertEquals(want, got, () -> "\nexpected: " + want + "\nwritten:  " + got);
  }

  private static final String IMAGE = "iVBORw0KGgo=";

  // ---- /api/chat (§3.2, messages §4.1, tools §4.2) ----

  @Test
  void chatMinimal() throws Exception {
    assertWire(
        """
        {"model":"llama3.2","messages":[{"role":"user","content":"Why is the sky blue?"}]}
        """,
        ChatRequest.builder("llama3.2").message(Message.user("Why is the sky blue?")).build());
  }

  @Test
  void chatWithEveryTopLevelField() throws Exception {
    ChatRequest r =
        ChatRequest.builder("qwen3:8b")
            .message(Message.system("Be terse."))
            .message(Message.user("hi"))
            .format(Format.json())
            .options(Options.builder().temperature(0.2).numCtx(8192).seed(42L).build())
            .stream(false)
            .keepAlive(KeepAlive.parse("10m"))
            .think(Think.HIGH)
            .truncate(false)
            .shift(true)
            .logprobs(true)
            .topLogprobs(3)
            .debugRenderOnly(true)
            .build();
    assertWire(
        """
        {"model":"qwen3:8b",
         "messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"hi"}],
         "format":"json",
         "options":{"temperature":0.2,"num_ctx":8192,"seed":42},
         "stream":false,
         "keep_alive":"10m",
         "think":"high",
         "truncate":false,
         "shift":true,
         "logprobs":true,
         "top_logprobs":3,
         "_debug_render_only":true}
        """,
        r);
  }

  @Test
  void chatWithStreamAsTheClientSendsIt() throws Exception {
    ChatRequest r = ChatRequest.builder("m").message(Message.user("x")).build();
    assertWire(
        """
        {"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}
        """,
        r.withStream(true));
    assertWire(
        """
        {"model":"m","messages":[{"role":"user","content":"x"}],"stream":false}
        """,
        r.withStream(false));
  }

  @Test
  void chatLoadAndUnloadRequests() throws Exception {
    // §5: an empty messages array loads; keep_alive 0 unloads
    assertWire(
        """
        {"model":"m","messages":[],"keep_alive":0}
        """,
        ChatRequest.builder("m").messages(List.of()).keepAlive(KeepAlive.UNLOAD).build());
    assertWire(
        """
        {"model":"m","keep_alive":-1}
        """,
        ChatRequest.builder("m").keepAlive(KeepAlive.FOREVER).build());
  }

  @Test
  void chatHistoryWithImagesThinkingToolCallsAndToolResults() throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("city", "Paris");
    args.put("days", 3);
    ChatRequest r =
        ChatRequest.builder("qwen3")
            .message(Message.builder(Message.USER).content("What is this?").image(IMAGE).build())
            .message(
                Message.builder(Message.USER)
                    .content("and this?")
                    .image("data:image/png;base64," + IMAGE)
                    .build())
            .message(
                Message.builder(Message.ASSISTANT)
                    .thinking("I should call the tool.")
                    .toolCall(MessageToolCall.of("get_weather", args).withId("call_ab12cd34"))
                    .toolCall(
                        new MessageToolCall(
                            null, new ToolCallFunction(1, "get_time", new LinkedHashMap<>())))
                    .build())
            .message(Message.tool("get_weather", "18C, sunny", "call_ab12cd34"))
            .message(Message.builder(Message.TOOL).toolName("get_time").content("12:00").build())
            .message(Message.assistant("It is 18C."))
            .build();
    assertWire(
        """
        {"model":"qwen3","messages":[
          {"role":"user","content":"What is this?","images":["iVBORw0KGgo="]},
          {"role":"user","content":"and this?","images":["iVBORw0KGgo="]},
          {"role":"assistant","content":"","thinking":"I should call the tool.","tool_calls":[
            {"id":"call_ab12cd34","function":{"index":0,"name":"get_weather",
              "arguments":{"city":"Paris","days":3}}},
            {"function":{"index":1,"name":"get_time","arguments":{}}}]},
          {"role":"tool","content":"18C, sunny","tool_name":"get_weather","tool_call_id":"call_ab12cd34"},
          {"role":"tool","content":"12:00","tool_name":"get_time"},
          {"role":"assistant","content":"It is 18C."}]}
        """,
        r);
  }

  @Test
  void chatImageBytesAreStandardBase64() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assertWire(
        """
        {"role":"user","content":"look","images":["iVBORw0KGgo="]}
        """,
        Message.builder(Message.USER).content("look").image(png).build());
  }

  @Test
  void chatToolsWithEverySchemaKeyword() throws Exception {
    LinkedHashMap<String, ToolProperty> where = new LinkedHashMap<>();
    where.put("lat", ToolProperty.of("number", null));
    LinkedHashMap<String, ToolProperty> props = new LinkedHashMap<>();
    props.put("city", ToolProperty.of("string", "The city"));
    props.put(
        "units",
        new ToolProperty(
            StringOrList.of("string", "null"),
            null,
            java.util.Arrays.asList("c", "f", null),
            null,
            null,
            null,
            null));
    props.put(
        "when",
        new ToolProperty(
            null,
            null,
            null,
            null,
            List.of(ToolProperty.of("string", null), ToolProperty.of("integer", null)),
            null,
            null));
    props.put(
        "where",
        new ToolProperty(StringOrList.of("object"), null, null, null, null, where, List.of("lat")));
    props.put(
        "tags",
        new ToolProperty(
            StringOrList.of("array"),
            null,
            null,
            PLAIN.readTree("{\"type\":\"string\"}"),
            null,
            null,
            null));
    ToolParameters params =
        new ToolParameters(
            "object",
            PLAIN.readTree("{\"unit\":{\"enum\":[\"c\",\"f\"]}}"),
            null,
            List.of("city"),
            props);
    ChatRequest r =
        ChatRequest.builder("m")
            .message(Message.user("weather?"))
            .tool(Tool.function("get_weather", "Current weather", params))
            .tool(Tool.function("now", null, (ToolParameters) null))
            .build();
    assertWire(
        """
        {"model":"m","messages":[{"role":"user","content":"weather?"}],
         "tools":[
          {"type":"function","function":{"name":"get_weather","description":"Current weather",
            "parameters":{"type":"object","$defs":{"unit":{"enum":["c","f"]}},"required":["city"],
              "properties":{
                "city":{"type":"string","description":"The city"},
                "units":{"type":["string","null"],"enum":["c","f",null]},
                "when":{"anyOf":[{"type":"string"},{"type":"integer"}]},
                "where":{"type":"object","properties":{"lat":{"type":"number"}},"required":["lat"]},
                "tags":{"type":"array","items":{"type":"string"}}}}}},
          {"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}]}
        """,
        r);
  }

  @Test
  void toolAndParameterItems() throws Exception {
    // §4.2: "items" is read on the tool and on its parameters
    Tool t =
        new Tool(
            "function",
            PLAIN.readTree("{\"type\":\"string\"}"),
            new ToolFunction(
                "list",
                null,
                new ToolParameters(
                    "object",
                    null,
                    PLAIN.readTree("{\"type\":\"integer\"}"),
                    null,
                    new LinkedHashMap<>())));
    assertWire(
        """
        {"type":"function","items":{"type":"string"},"function":{"name":"list",
          "parameters":{"type":"object","items":{"type":"integer"},"properties":{}}}}
        """,
        t);
  }

  @Test
  void toolFromAJsonSchemaKeepsTheKeywordsTheServerReads() throws Exception {
    JsonNode schema =
        PLAIN.readTree(
            """
            {"type":"object","required":["q"],"additionalProperties":false,
             "properties":{"q":{"type":"string","description":"query","minLength":1}}}
            """);
    // §4.2: the server drops keywords outside its set (additionalProperties, minLength)
    assertWire(
        """
        {"type":"function","function":{"name":"search","description":"Search",
          "parameters":{"type":"object","required":["q"],
            "properties":{"q":{"type":"string","description":"query"}}}}}
        """,
        Tool.function("search", "Search", schema));
  }

  @Test
  void formatAsStringAndAsSchema() throws Exception {
    assertWire(
        """
        {"model":"m","format":"json"}
        """,
        ChatRequest.builder("m").format(Format.json()).build());
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", Map.of("age", Map.of("type", "integer")));
    schema.put("required", List.of("age"));
    assertWire(
        """
        {"model":"m","format":{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]}}
        """,
        ChatRequest.builder("m").format(Format.schema(schema)).build());
  }

  @Test
  void thinkAsBooleanAndAsLevel() throws Exception {
    assertWire("{\"model\":\"m\",\"think\":true}", ChatRequest.builder("m").think(true).build());
    assertWire("{\"model\":\"m\",\"think\":false}", ChatRequest.builder("m").think(false).build());
    for (String level : List.of("low", "medium", "high", "max")) {
      assertWire(
          "{\"model\":\"m\",\"think\":\"" + level + "\"}",
          ChatRequest.builder("m").think(Think.level(level)).build());
    }
    assertWire(
        "{\"model\":\"m\",\"think\":\"max\"}", ChatRequest.builder("m").think(Think.MAX).build());
  }

  @Test
  void keepAliveAsDurationStringAndAsNumber() throws Exception {
    // §4.6: a number is seconds; a string needs a unit
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":300}",
        ChatRequest.builder("m").keepAlive(Duration.ofMinutes(5)).build());
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":42.5}",
        ChatRequest.builder("m").keepAlive(Duration.ofMillis(42_500)).build());
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":\"1h30m\"}",
        ChatRequest.builder("m").keepAlive(KeepAlive.parse("1h30m")).build());
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":\"-1m\"}",
        ChatRequest.builder("m").keepAlive(KeepAlive.parse("-1m")).build());
    // a unitless string would be a 400 ("missing unit in duration"): it goes out as a number
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":300}",
        ChatRequest.builder("m").keepAlive(KeepAlive.parse("300")).build());
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":-1}",
        ChatRequest.builder("m").keepAlive(KeepAlive.parse("-1")).build());
  }

  // ---- options (§4.5) ----

  @Test
  void everyOption() throws Exception {
    Options o =
        Options.builder()
            .numCtx(4096)
            .numBatch(512)
            .numGpu(-1)
            .mainGpu(0)
            .useMmap(false)
            .numThread(8)
            .draftNumPredict(4)
            .numKeep(4)
            .seed(-1L)
            .numPredict(128)
            .topK(40)
            .topP(0.9)
            .minP(0.05)
            .typicalP(1.0)
            .repeatLastN(64)
            .temperature(0.8)
            .repeatPenalty(1.1)
            .presencePenalty(0.5)
            .frequencyPenalty(0.25)
            .stop("<|eot_id|>", "\n\n")
            .extra("mirostat", 2)
            .build();
    assertWire(
        """
        {"num_ctx":4096,"num_batch":512,"num_gpu":-1,"main_gpu":0,"use_mmap":false,"num_thread":8,
         "draft_num_predict":4,"num_keep":4,"seed":-1,"num_predict":128,"top_k":40,"top_p":0.9,
         "min_p":0.05,"typical_p":1.0,"repeat_last_n":64,"temperature":0.8,"repeat_penalty":1.1,
         "presence_penalty":0.5,"frequency_penalty":0.25,"stop":["<|eot_id|>","\\n\\n"],"mirostat":2}
        """,
        o);
    assertWire("{}", Options.builder().build());
  }

  @Test
  void stopIsAlwaysAnArray() throws Exception {
    // §4.5: a bare string is a 500
    assertWire("{\"stop\":[\"x\"]}", Options.builder().stop("x").build());
  }

  // ---- /api/generate (§3.1) ----

  @Test
  void generateWithEveryField() throws Exception {
    Map<String, Object> schema = Map.of("type", "object");
    GenerateRequest r =
        GenerateRequest.builder("codellama:7b")
            .prompt("def add(a, b):")
            .suffix("    return c")
            .system("You write Python.")
            .template("{{ .Prompt }}")
            .context(List.of(1, 2, 3))
            .stream(false)
            .raw(false)
            .format(Format.schema(schema))
            .keepAlive(KeepAlive.parse("5m"))
            .image(IMAGE)
            .options(Options.builder().numPredict(64).build())
            .think(Think.LOW)
            .truncate(true)
            .shift(false)
            .logprobs(true)
            .topLogprobs(20)
            .debugRenderOnly(false)
            .build();
    assertWire(
        """
        {"model":"codellama:7b","prompt":"def add(a, b):","suffix":"    return c",
         "system":"You write Python.","template":"{{ .Prompt }}","context":[1,2,3],
         "stream":false,"raw":false,"format":{"type":"object"},"keep_alive":"5m",
         "images":["iVBORw0KGgo="],"options":{"num_predict":64},"think":"low",
         "truncate":true,"shift":false,"logprobs":true,"top_logprobs":20,"_debug_render_only":false}
        """,
        r);
  }

  @Test
  void generateLoadRequestIsJustTheModel() throws Exception {
    // §5: POST /api/generate {"model":"m"} preloads
    assertWire("{\"model\":\"m\"}", GenerateRequest.builder("m").build());
    assertWire(
        "{\"model\":\"m\",\"keep_alive\":0}",
        GenerateRequest.builder("m").keepAlive(KeepAlive.UNLOAD).build());
    assertWire(
        "{\"model\":\"m\",\"prompt\":\"hi\",\"stream\":true}",
        GenerateRequest.builder("m").prompt("hi").build().withStream(true));
  }

  @Test
  void unknownFieldsAreWrittenAtTopLevel() throws Exception {
    assertWire(
        "{\"model\":\"m\",\"prompt\":\"p\",\"width\":512}",
        GenerateRequest.builder("m").prompt("p").extra("width", 512).build());
    assertWire(
        "{\"model\":\"m\",\"future\":{\"a\":1}}",
        ChatRequest.builder("m").extra("future", Map.of("a", 1)).build());
    assertWire(
        "{\"role\":\"user\",\"content\":\"x\",\"name\":\"bob\"}",
        Message.builder(Message.USER).content("x").extra("name", "bob").build());
  }

  // ---- /api/embed, /api/embeddings (§3.3, §3.4) ----

  @Test
  void embedSingleAndBatch() throws Exception {
    assertWire(
        "{\"model\":\"all-minilm\",\"input\":\"Why is the sky blue?\"}",
        EmbedRequest.builder("all-minilm").input("Why is the sky blue?").build());
    assertWire(
        """
        {"model":"all-minilm","input":["a","b"],"truncate":false,"dimensions":256,
         "keep_alive":"1m","options":{"num_ctx":512}}
        """,
        EmbedRequest.builder("all-minilm")
            .input(List.of("a", "b"))
            .truncate(false)
            .dimensions(256)
            .keepAlive(KeepAlive.parse("1m"))
            .options(Options.builder().numCtx(512).build())
            .build());
    assertWire(
        "{\"model\":\"e\",\"keep_alive\":30}",
        EmbedRequest.builder("e").keepAlive(KeepAlive.ofSeconds(30)).build());
  }

  @Test
  @SuppressWarnings("deprecation")
  void legacyEmbeddings() throws Exception {
    assertWire(
        """
        {"model":"nomic-embed-text","prompt":"hello","keep_alive":"5m","options":{"temperature":0.0}}
        """,
        new EmbeddingsRequest(
            "nomic-embed-text",
            "hello",
            KeepAlive.parse("5m"),
            Options.builder().temperature(0.0).build()));
    assertWire(
        "{\"model\":\"nomic-embed-text\",\"prompt\":\"\"}",
        new EmbeddingsRequest("nomic-embed-text", "", null, null));
  }

  // ---- model management (§3.5 to §3.10) ----

  @Test
  void pullAndPush() throws Exception {
    assertWire("{\"model\":\"llama3.2\"}", PullRequest.of("llama3.2"));
    assertWire(
        "{\"model\":\"llama3.2\",\"insecure\":true,\"stream\":false}",
        new PullRequest("llama3.2", true, null).withStream(false));
    assertWire(
        "{\"model\":\"llama3.2\",\"stream\":true}", PullRequest.of("llama3.2").withStream(true));
    assertWire("{\"model\":\"me/m:latest\"}", PushRequest.of("me/m:latest"));
    assertWire(
        "{\"model\":\"me/m\",\"insecure\":false,\"stream\":true}",
        new PushRequest("me/m", false, true));
  }

  @Test
  void createFromAnotherModel() throws Exception {
    assertWire(
        """
        {"model":"mario","from":"llama3.2","system":"You are Mario from Super Mario Bros."}
        """,
        CreateRequest.builder("mario")
            .from("llama3.2")
            .system("You are Mario from Super Mario Bros.")
            .build());
  }

  @Test
  void createWithEveryField() throws Exception {
    CreateRequest r =
        CreateRequest.builder("mine")
            .file("model.gguf", "sha256:aaa")
            .adapter("lora.gguf", "sha256:bbb")
            .draftFile("draft.gguf", "sha256:ccc")
            .draftQuantize("q8_0")
            .template("{{ .Prompt }}")
            .renderer("qwen3")
            .parser("qwen3")
            .license(List.of("MIT", "Apache-2.0"))
            .system("sys")
            .parameters(Options.builder().temperature(0.5).stop("END").build())
            .message(Message.user("hi"))
            .message(Message.assistant("hello"))
            .quantize("q4_K_M")
            .requires("0.30.0")
            .remoteHost("https://ollama.com")
            .info(
                new CreateInfo(
                    List.of("completion", "tools"), "llama", "Llama", "Q4_K_M", "8B", 8192L, 4096L))
            .stream(false)
            .build();
    assertWire(
        """
        {"model":"mine","files":{"model.gguf":"sha256:aaa"},"adapters":{"lora.gguf":"sha256:bbb"},
         "draft_files":{"draft.gguf":"sha256:ccc"},"draft_quantize":"q8_0",
         "template":"{{ .Prompt }}","renderer":"qwen3","parser":"qwen3",
         "license":["MIT","Apache-2.0"],"system":"sys",
         "parameters":{"temperature":0.5,"stop":["END"]},
         "messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}],
         "quantize":"q4_K_M","requires":"0.30.0","remote_host":"https://ollama.com",
         "info":{"capabilities":["completion","tools"],"model_family":"llama","base_name":"Llama",
           "quantization_level":"Q4_K_M","parameter_size":"8B","context_length":8192,
           "embedding_length":4096},
         "stream":false}
        """,
        r);
    assertWire(
        "{\"model\":\"x\",\"from\":\"y\",\"license\":\"MIT\",\"stream\":true}",
        CreateRequest.builder("x").from("y").license("MIT").build().withStream(true));
  }

  @Test
  void copyDeleteShow() throws Exception {
    assertWire(
        "{\"source\":\"llama3.2\",\"destination\":\"llama3-backup\"}",
        new CopyRequest("llama3.2", "llama3-backup"));
    assertWire("{\"model\":\"llama3:13b\"}", new DeleteRequest("llama3:13b"));
    assertWire("{\"model\":\"llava\"}", ShowRequest.of("llava"));
    assertWire("{\"model\":\"llava\",\"verbose\":true}", ShowRequest.verbose("llava"));
    assertWire(
        """
        {"model":"llava","verbose":false,"system":"S","options":{"num_ctx":2048},"template":"T"}
        """,
        new ShowRequest("llava", false, "S", Options.builder().numCtx(2048).build(), "T"));
  }

  @Test
  void webSearchAndFetch() throws Exception {
    // §3.15: snake_case max_results (ollama-js's camelCase maxResults is ignored by the server)
    assertWire("{\"query\":\"ollama\",\"max_results\":3}", new WebSearchRequest("ollama", 3));
    assertWire("{\"query\":\"ollama\"}", new WebSearchRequest("ollama", null));
    assertWire("{\"url\":\"https://ollama.com\"}", new WebFetchRequest("https://ollama.com"));
  }

  @Test
  void goEscapesInStringsAreOnlyAnEncodingDifference() throws Exception {
    // the server decodes \\u003c and < alike; compare decoded trees, never bytes
    String written = PLAIN.writeValueAsString(Message.user("<think>&</think>"));
    assertEquals(
        PLAIN.readTree(
            "{\"role\":\"user\",\"content\":\"\\u003cthink\\u003e\\u0026\\u003c/think\\u003e\"}"),
        PLAIN.readTree(written.getBytes(StandardCharsets.UTF_8)));
  }
}
