package core.llm.providers.ollama.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Literal server replies, written from the API reference (reference/ollama-api.md §3, §5, §6, §7,
 * §8), read with a plain {@code new ObjectMapper()}: every typed field is asserted by name, so a
 * renamed {@code @JsonProperty} leaves a field null and fails here. Records that keep unknown
 * fields (an {@code extra} map through {@code @JsonAnySetter}/{@code @JsonAnyGetter}) must write
 * them back.
 */
class WireLiteralResponseTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private static <T> T read(String json, Class<T> type) throws Exception {
    return PLAIN.readValue(json, type);
  }

  private static JsonNode written(Object value) throws Exception {
    return PLAIN.readTree(PLAIN.writeValueAsString(value));
  }

  // ---- /api/chat (§3.2, §3.2.1) ----

  @Test
  void chatStreamChunksAndFinalLineWithEveryMetric() throws Exception {
    ChatResponse thinking =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30.1Z","message":{"role":"assistant","content":"","thinking":"Let me"},"done":false}
            """,
            ChatResponse.class);
    assertEquals("m", thinking.model());
    assertEquals("2026-08-21T10:15:30.1Z", thinking.createdAt());
    assertEquals(
        OffsetDateTime.of(2026, 8, 21, 10, 15, 30, 100_000_000, ZoneOffset.UTC),
        thinking.createdAtTime());
    assertEquals("assistant", thinking.message().role());
    assertEquals("", thinking.message().content());
    assertEquals("Let me", thinking.message().thinking());
    assertFalse(thinking.done());
    assertNull(thinking.doneReason());
    assertNull(thinking.totalDuration());
    assertNull(thinking.evalCount());

    ChatResponse content =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30.2Z","message":{"role":"assistant","content":"Hi"},"done":false}
            """,
            ChatResponse.class);
    assertEquals("Hi", content.message().content());
    assertNull(content.message().thinking());

    ChatResponse last =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30.3Z","message":{"role":"assistant","content":"!"},
             "done":true,"done_reason":"stop","total_duration":123,"load_duration":4,"prompt_eval_count":12,
             "prompt_eval_duration":5,"eval_count":3,"eval_duration":6}
            """,
            ChatResponse.class);
    assertEquals("!", last.message().content());
    assertTrue(last.done());
    assertEquals("stop", last.doneReason());
    assertEquals(123L, last.totalDuration());
    assertEquals(4L, last.loadDuration());
    assertEquals(12, last.promptEvalCount());
    assertEquals(5L, last.promptEvalDuration());
    assertEquals(3, last.evalCount());
    assertEquals(6L, last.evalDuration());
    assertEquals(Duration.ofNanos(123), last.totalDurationTime());
    assertEquals(Duration.ofNanos(4), last.loadDurationTime());
    assertEquals(Duration.ofNanos(5), last.promptEvalDurationTime());
    assertEquals(Duration.ofNanos(6), last.evalDurationTime());
    assertTrue(last.extra().isEmpty());
  }

  @Test
  void chatFinalLineCarriesToolCallsLogprobsAndRemoteFields() throws Exception {
    // §4.9 native path: the tool calls come only on the done:true line
    ChatResponse r =
        read(
            """
            {"model":"qwen3:cloud","created_at":"2026-08-21T10:15:30Z",
             "message":{"role":"assistant","content":"","tool_calls":[
               {"id":"call_ab12cd34","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}},
               {"function":{"index":1,"name":"get_time","arguments":{}}}]},
             "done":true,"done_reason":"stop","eval_count":20,"eval_duration":1000000000,
             "logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],
               "top_logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105]},{"token":"Yo","logprob":-1.5}]}],
             "remote_model":"qwen3:480b","remote_host":"https://ollama.com:443"}
            """,
            ChatResponse.class);
    List<MessageToolCall> calls = r.message().toolCalls();
    assertEquals(2, calls.size());
    assertEquals("call_ab12cd34", calls.get(0).id());
    assertEquals(0, calls.get(0).function().index());
    assertEquals("get_weather", calls.get(0).function().name());
    assertEquals(Map.of("city", "Paris"), calls.get(0).function().arguments());
    assertNull(calls.get(1).id());
    assertEquals(1, calls.get(1).function().index());
    assertEquals(Map.of(), calls.get(1).function().arguments());
    assertEquals(20.0, r.tokensPerSecond(), 1e-9);
    Logprob lp = r.logprobs().get(0);
    assertEquals("Hi", lp.token());
    assertEquals(-0.25, lp.logprob());
    assertEquals(List.of(72, 105), lp.bytes());
    assertEquals(2, lp.topLogprobs().size());
    assertEquals(List.of(72, 105), lp.topLogprobs().get(0).bytes());
    assertEquals("Hi", lp.topLogprobs().get(0).token());
    assertEquals(-0.25, lp.topLogprobs().get(0).logprob());
    TokenLogprob alt = lp.topLogprobs().get(1);
    assertEquals("Yo", alt.token());
    assertEquals(-1.5, alt.logprob());
    assertNull(alt.bytes());
    assertEquals("qwen3:480b", r.remoteModel());
    assertEquals("https://ollama.com:443", r.remoteHost());
  }

  @Test
  void chatLoadUnloadAndDebugReplies() throws Exception {
    // §5: a single object, no metrics
    ChatResponse load =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"load"}
            """,
            ChatResponse.class);
    assertEquals("load", load.doneReason());
    assertTrue(load.done());
    assertNull(load.totalDuration());
    assertEquals(0.0, load.tokensPerSecond());
    ChatResponse unload =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"unload"}
            """,
            ChatResponse.class);
    assertEquals("unload", unload.doneReason());
    ChatResponse debug =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30Z","message":{"role":"assistant","content":""},"done":false,
             "_debug_info":{"rendered_template":"\\u003c|user|\\u003ehi","image_count":2}}
            """,
            ChatResponse.class);
    assertEquals("<|user|>hi", debug.debugInfo().renderedTemplate());
    assertEquals(2, debug.debugInfo().imageCount());
  }

  @Test
  void chatUnknownFieldsAreKeptAndWrittenBack() throws Exception {
    // §7 (on its way): prompt_eval_cached_count on final chunks; a message field from the future
    String json =
        """
        {"model":"m","created_at":"2026-08-21T10:15:30Z",
         "message":{"role":"assistant","content":"ok","refusal":null,"annotations":[{"a":1}]},
         "done":true,"done_reason":"stop","prompt_eval_count":10,"prompt_eval_cached_count":8}
        """;
    ChatResponse r = read(json, ChatResponse.class);
    assertEquals(8, r.extra().get("prompt_eval_cached_count"));
    assertTrue(r.message().extra().containsKey("refusal"));
    assertEquals(List.of(Map.of("a", 1)), r.message().extra().get("annotations"));
    assertEquals(PLAIN.readTree(json), written(r));
  }

  // ---- /api/generate (§3.1) ----

  @Test
  void generateStreamChunkAndFinalLine() throws Exception {
    GenerateResponse chunk =
        read(
            """
            {"model":"llama3.2","created_at":"2026-08-21T10:15:30.123456789Z","response":"The","done":false}
            """,
            GenerateResponse.class);
    assertEquals("llama3.2", chunk.model());
    assertEquals("The", chunk.response());
    assertFalse(chunk.done());
    assertEquals(123_456_789, chunk.createdAtTime().getNano());
    GenerateResponse last =
        read(
            """
            {"model":"llama3.2","created_at":"2026-08-21T10:15:31Z","response":"","thinking":"mm","done":true,
             "done_reason":"length","context":[1,2,3],"total_duration":10706818083,"load_duration":6338219291,
             "prompt_eval_count":26,"prompt_eval_duration":130079000,"eval_count":259,"eval_duration":4232710000,
             "tool_calls":[{"function":{"index":0,"name":"f","arguments":{"x":1}}}]}
            """,
            GenerateResponse.class);
    assertEquals("", last.response());
    assertEquals("mm", last.thinking());
    assertTrue(last.done());
    assertEquals("length", last.doneReason());
    assertEquals(List.of(1, 2, 3), last.context());
    assertEquals(10706818083L, last.totalDuration());
    assertEquals(6338219291L, last.loadDuration());
    assertEquals(26, last.promptEvalCount());
    assertEquals(130079000L, last.promptEvalDuration());
    assertEquals(259, last.evalCount());
    assertEquals(4232710000L, last.evalDuration());
    assertEquals("f", last.toolCalls().get(0).function().name());
    assertEquals(Map.of("x", 1), last.toolCalls().get(0).function().arguments());
    assertEquals(259 * 1e9 / 4232710000L, last.tokensPerSecond(), 1e-9);
  }

  @Test
  void generateChunkWithLogprobsRemoteFieldsAndDebugInfo() throws Exception {
    GenerateResponse r =
        read(
            """
            {"model":"gpt-oss:120b-cloud","created_at":"2026-08-21T10:15:30Z","response":"Hi","done":false,
             "logprobs":[{"token":"Hi","logprob":-0.5,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.5}]}],
             "remote_model":"gpt-oss:120b","remote_host":"https://ollama.com:443"}
            """,
            GenerateResponse.class);
    assertEquals("Hi", r.logprobs().get(0).token());
    assertEquals(-0.5, r.logprobs().get(0).logprob());
    assertEquals(List.of(72, 105), r.logprobs().get(0).bytes());
    assertEquals("Hi", r.logprobs().get(0).topLogprobs().get(0).token());
    assertEquals("gpt-oss:120b", r.remoteModel());
    assertEquals("https://ollama.com:443", r.remoteHost());
    GenerateResponse debug =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30Z","response":"","done":false,
             "_debug_info":{"rendered_template":"\\u003c|user|\\u003ehi","image_count":1}}
            """,
            GenerateResponse.class);
    assertEquals("<|user|>hi", debug.debugInfo().renderedTemplate());
    assertEquals(1, debug.debugInfo().imageCount());
  }

  @Test
  void generateLoadReplyAndUnknownFields() throws Exception {
    GenerateResponse load =
        read(
            """
            {"model":"m","created_at":"2026-08-21T10:15:30Z","response":"","done":true,"done_reason":"load"}
            """,
            GenerateResponse.class);
    assertEquals("load", load.doneReason());
    assertNull(load.context());
    String json =
        """
        {"model":"m","created_at":"2026-08-21T10:15:30Z","response":"x","done":false,"brand_new":{"k":[1,2]}}
        """;
    GenerateResponse r = read(json, GenerateResponse.class);
    assertEquals(Map.of("k", List.of(1, 2)), r.extra().get("brand_new"));
    assertEquals(PLAIN.readTree(json), written(r));
  }

  // ---- /api/embed, /api/embeddings (§3.3, §3.4) ----

  @Test
  void embedReply() throws Exception {
    EmbedResponse r =
        read(
            """
            {"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862,0.05007221],[-0.0098027075,0.06042469,0.025245488]],
             "total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}
            """,
            EmbedResponse.class);
    assertEquals("all-minilm", r.model());
    assertEquals(2, r.embeddings().length);
    assertArrayEquals(new float[] {0.010071029f, -0.0017594862f, 0.05007221f}, r.embeddings()[0]);
    assertArrayEquals(new float[] {-0.0098027075f, 0.06042469f, 0.025245488f}, r.embeddings()[1]);
    assertEquals(14143917L, r.totalDuration());
    assertEquals(1019500L, r.loadDuration());
    assertEquals(8, r.promptEvalCount());
    assertEquals(Duration.ofNanos(14143917), r.totalDurationTime());
    assertEquals(Duration.ofNanos(1019500), r.loadDurationTime());
    EmbedResponse load = read("{\"model\":\"e\",\"embeddings\":[]}", EmbedResponse.class);
    assertEquals(0, load.embeddings().length);
    assertNull(load.promptEvalCount());
    String future = "{\"model\":\"e\",\"embeddings\":[[0.5]],\"normalized\":true}";
    EmbedResponse f = read(future, EmbedResponse.class);
    assertEquals(true, f.extra().get("normalized"));
    assertEquals(PLAIN.readTree(future), written(f));
  }

  @Test
  @SuppressWarnings("deprecation")
  void legacyEmbeddingsReply() throws Exception {
    EmbeddingsResponse r =
        read(
            "{\"embedding\":[0.5670403838157654,-0.009260174818336964]}", EmbeddingsResponse.class);
    assertArrayEquals(new double[] {0.5670403838157654, -0.009260174818336964}, r.embedding());
    assertEquals(0, read("{\"embedding\":[]}", EmbeddingsResponse.class).embedding().length);
  }

  // ---- /api/tags, /api/ps (§3.11, §3.12) ----

  @Test
  void tags() throws Exception {
    ListResponse r =
        read(
            """
            {"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2026-08-20T17:44:05.6402431-07:00",
              "size":2019393189,"digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
              "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"3.2B",
                "quantization_level":"Q4_K_M","context_length":131072,"embedding_length":3072},
              "capabilities":["completion","tools"]},
             {"name":"gpt-oss:120b-cloud","model":"gpt-oss:120b-cloud","modified_at":"2026-08-19T08:00:00Z",
              "size":384,"digest":"569662207105b8e8","details":{"parent_model":"","format":"","family":"gptoss",
              "families":null,"parameter_size":"116.8B","quantization_level":"MXFP4"},
              "remote_model":"gpt-oss:120b","remote_host":"https://ollama.com:443"}]}
            """,
            ListResponse.class);
    ListModel m = r.models().get(0);
    assertEquals("llama3.2:latest", m.name());
    assertEquals("llama3.2:latest", m.model());
    assertEquals("2026-08-20T17:44:05.6402431-07:00", m.modifiedAt());
    assertEquals(ZoneOffset.ofHours(-7), m.modifiedAtTime().getOffset());
    assertEquals(2019393189L, m.size());
    assertEquals("a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72", m.digest());
    assertEquals(List.of("completion", "tools"), m.capabilities());
    ModelDetails d = m.details();
    assertEquals("", d.parentModel());
    assertEquals("gguf", d.format());
    assertEquals("llama", d.family());
    assertEquals(List.of("llama"), d.families());
    assertEquals("3.2B", d.parameterSize());
    assertEquals("Q4_K_M", d.quantizationLevel());
    assertEquals(131072L, d.contextLength());
    assertEquals(3072L, d.embeddingLength());
    ListModel cloud = r.models().get(1);
    assertEquals("gpt-oss:120b", cloud.remoteModel());
    assertEquals("https://ollama.com:443", cloud.remoteHost());
    assertNull(cloud.details().families());
    assertNull(cloud.capabilities());
    // Go writes a nil slice as null: it is written back as null, not dropped
    assertTrue(written(cloud.details()).get("families").isNull());
    assertTrue(read("{\"models\":[]}", ListResponse.class).models().isEmpty());
  }

  @Test
  void ps() throws Exception {
    ProcessResponse r =
        read(
            """
            {"models":[{"name":"llama3.2:latest","model":"llama3.2:latest","size":3825819519,"size_vram":2869364639,
              "digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
              "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],
                "parameter_size":"3.2B","quantization_level":"Q4_K_M"},
              "expires_at":"2318-11-30T23:47:16.127586-08:00","context_length":4096}]}
            """,
            ProcessResponse.class);
    ProcessModel m = r.models().get(0);
    assertEquals("llama3.2:latest", m.name());
    assertEquals("llama3.2:latest", m.model());
    assertEquals(3825819519L, m.size());
    assertEquals(2869364639L, m.sizeVram());
    assertEquals("a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72", m.digest());
    assertEquals("Q4_K_M", m.details().quantizationLevel());
    assertEquals("2318-11-30T23:47:16.127586-08:00", m.expiresAt());
    assertEquals(2318, m.expiresAtTime().getYear());
    assertEquals(4096, m.contextLength());
  }

  // ---- /api/show (§8) ----

  @Test
  void show() throws Exception {
    String json =
        """
        {"license":"LLAMA 3.2 COMMUNITY LICENSE\\nsecond",
         "modelfile":"# Modelfile generated by \\"ollama show\\"\\nFROM /x\\n",
         "parameters":"num_ctx                        8192\\nstop                           \\"\\u003c|eot_id|\\u003e\\"",
         "template":"{{ .Prompt }}","system":"sys",
         "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],
           "parameter_size":"8.0B","quantization_level":"Q4_K_M"},
         "messages":[{"role":"user","content":"seed"},{"role":"assistant","content":"ok"}],
         "model_info":{"general.architecture":"llama","general.parameter_count":8030261248,
           "llama.context_length":131072,"llama.embedding_length":4096,"tokenizer.ggml.tokens":[]},
         "projector_info":{"clip.has_vision_encoder":true},
         "tensors":[{"name":"token_embd.weight","type":"Q6_K","shape":[4096,128256]}],
         "capabilities":["completion","tools","vision"],
         "modified_at":"2026-07-30T14:03:12.483911-07:00","requires":"0.30.0",
         "remote_model":"r","remote_host":"https://ollama.com:443","renderer":"qwen3","parser":"qwen3",
         "brand_new_field":{"x":1}}
        """;
    ShowResponse r = read(json, ShowResponse.class);
    assertEquals("LLAMA 3.2 COMMUNITY LICENSE\nsecond", r.license());
    assertTrue(r.modelfile().startsWith("# Modelfile generated by \"ollama show\""));
    assertEquals(
        Map.of("num_ctx", List.of("8192"), "stop", List.of("<|eot_id|>")), r.parameterMap());
    assertEquals("{{ .Prompt }}", r.template());
    assertEquals("sys", r.system());
    assertEquals("8.0B", r.details().parameterSize());
    assertEquals(2, r.messages().size());
    assertEquals("assistant", r.messages().get(1).role());
    assertEquals("llama", r.modelInfo().get("general.architecture"));
    assertEquals(8030261248L, ((Number) r.modelInfo().get("general.parameter_count")).longValue());
    assertEquals(131072L, r.contextLength());
    assertEquals(true, r.projectorInfo().get("clip.has_vision_encoder"));
    Tensor t = r.tensors().get(0);
    assertEquals("token_embd.weight", t.name());
    assertEquals("Q6_K", t.type());
    assertEquals(List.of(4096L, 128256L), t.shape());
    assertTrue(r.hasCapability(Capabilities.VISION));
    assertEquals(ZoneOffset.ofHours(-7), r.modifiedAtTime().getOffset());
    assertEquals("0.30.0", r.requires());
    assertEquals("r", r.remoteModel());
    assertEquals("https://ollama.com:443", r.remoteHost());
    assertEquals("qwen3", r.renderer());
    assertEquals("qwen3", r.parser());
    assertEquals(Map.of("x", 1), r.extra().get("brand_new_field"));
    assertEquals(PLAIN.readTree(json), written(r));
  }

  @Test
  void showOfAModelWithoutMetadata() throws Exception {
    ShowResponse r =
        read(
            "{\"modelfile\":\"\",\"parameters\":\"\",\"template\":\"\",\"details\":{\"parent_model\":\"\","
                + "\"format\":\"gguf\",\"family\":\"x\",\"families\":null,\"parameter_size\":\"1B\","
                + "\"quantization_level\":\"F16\"},\"model_info\":{},\"modified_at\":\"2026-08-21T10:15:30Z\"}",
            ShowResponse.class);
    assertTrue(r.modelInfo().isEmpty());
    assertNull(r.contextLength());
    assertTrue(r.parameterMap().isEmpty());
    assertFalse(r.hasCapability(Capabilities.COMPLETION));
  }

  // ---- /api/version, /api/status (§3.13, §2) ----

  @Test
  void versionAndStatus() throws Exception {
    VersionResponse v = read("{\"version\":\"0.33.0\"}", VersionResponse.class);
    assertEquals("0.33.0", v.version());
    assertTrue(v.ollamaVersion().isAtLeast("0.22.0"));
    assertEquals(PLAIN.readTree("{\"version\":\"0.33.0\"}"), written(v));
    StatusResponse s =
        read("{\"cloud\":{\"disabled\":false,\"source\":\"none\"}}", StatusResponse.class);
    assertFalse(s.cloud().disabled());
    assertEquals("none", s.cloud().source());
  }

  // ---- progress streams (§7) ----

  @Test
  void pullProgressLines() throws Exception {
    List<String> lines =
        List.of(
            "{\"status\":\"pulling manifest\"}",
            "{\"status\":\"pulling dde5aa3fc5ff\",\"digest\":\"sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff\",\"total\":2019377376}",
            "{\"status\":\"pulling dde5aa3fc5ff\",\"digest\":\"sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff\",\"total\":2019377376,\"completed\":1009688688}",
            "{\"status\":\"verifying sha256 digest\"}",
            "{\"status\":\"writing manifest\"}",
            "{\"status\":\"removing unused layers\"}",
            "{\"status\":\"success\"}");
    List<ProgressResponse> p = new java.util.ArrayList<>();
    for (String line : lines) {
      ProgressResponse r = read(line, ProgressResponse.class);
      p.add(r);
      // absent fields stay absent when written: completed is omitted early on (§7)
      assertEquals(PLAIN.readTree(line), written(r));
    }
    assertEquals("pulling manifest", p.get(0).status());
    assertNull(p.get(0).digest());
    assertNull(p.get(0).total());
    assertEquals(
        "sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff",
        p.get(1).digest());
    assertEquals(2019377376L, p.get(1).total());
    assertNull(p.get(1).completed());
    assertEquals(0.0, p.get(1).fraction());
    assertEquals(1009688688L, p.get(2).completed());
    assertEquals(0.5, p.get(2).fraction(), 1e-9);
    assertFalse(p.get(5).isSuccess());
    assertTrue(p.get(6).isSuccess());
  }

  @Test
  void pushAndCreateProgressLines() throws Exception {
    ProgressResponse push =
        read(
            "{\"status\":\"pushing 6a0746a1ec1a\",\"digest\":\"sha256:6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa\",\"total\":4661211808,\"completed\":4661211808}",
            ProgressResponse.class);
    assertEquals("pushing 6a0746a1ec1a", push.status());
    assertEquals(1.0, push.fraction());
    assertEquals(
        "pushing manifest",
        read("{\"status\":\"pushing manifest\"}", ProgressResponse.class).status());
    ProgressResponse quantize =
        read(
            "{\"status\":\"quantizing F16 model to Q4_K_M\",\"digest\":\"0000000000000000000\",\"total\":6433687776,\"completed\":12302}",
            ProgressResponse.class);
    assertEquals("0000000000000000000", quantize.digest());
    assertEquals(6433687776L, quantize.total());
    assertEquals(12302L, quantize.completed());
    ProgressResponse layer =
        read(
            "{\"status\":\"using existing layer sha256:966de95ca8a62200913e3f8bfbf84c8494536f1b94b49166851e76644e966396\"}",
            ProgressResponse.class);
    assertTrue(layer.status().startsWith("using existing layer sha256:"));
  }

  // ---- errors (§6) ----

  @Test
  void errorBodies() throws Exception {
    ErrorResponse notFound = read("{\"error\":\"model 'llama9' not found\"}", ErrorResponse.class);
    assertEquals("model 'llama9' not found", notFound.error());
    assertNull(notFound.signinUrl());
    // a mid-stream error line (§3.2.1 (4), §6.3)
    ErrorResponse midStream =
        read("{\"error\":\"pull model manifest: file does not exist\"}", ErrorResponse.class);
    assertEquals("pull model manifest: file does not exist", midStream.error());
    ErrorResponse unauthorized =
        read(
            "{\"error\":\"unauthorized\",\"signin_url\":\"https://ollama.com/connect?name=host\\u0026key=abc\"}",
            ErrorResponse.class);
    assertEquals("unauthorized", unauthorized.error());
    assertEquals("https://ollama.com/connect?name=host&key=abc", unauthorized.signinUrl());
    // an upstream llama-server body passed through as a string (§6.1)
    ErrorResponse upstream =
        read(
            "{\"error\":\"{\\\"error\\\":{\\\"code\\\":400,\\\"message\\\":\\\"bad\\\"}}\"}",
            ErrorResponse.class);
    assertEquals("{\"error\":{\"code\":400,\"message\":\"bad\"}}", upstream.error());
    ErrorResponse busy =
        read(
            "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}",
            ErrorResponse.class);
    assertTrue(busy.error().contains(".  maximum"));
  }
}
