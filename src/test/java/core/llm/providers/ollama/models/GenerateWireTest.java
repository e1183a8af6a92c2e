package core.llm.providers.ollama.models;

import static core.llm.providers.ollama.models.Json.roundTrip;
import static core.llm.providers.ollama.models.Json.tree;
import static core.llm.providers.ollama.models.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerateWireTest {

  @Test
  void fullRequestRoundTripsAndKeepsUnknownFields() throws Exception {
    String json =
        """
                {"model":"llama3.2","prompt":"Why is the sky blue?","suffix":"    return result","system":"Be brief.",
                 "template":"{{ .Prompt }}","context":[1,2,3],"stream":false,"raw":false,"format":"json",
                 "keep_alive":"5m","images":["iVBORw0KGgo="],"options":{"temperature":0.2,"num_ctx":8192,"stop":["\\n\\n"]},
                 "think":"high","truncate":true,"shift":false,"logprobs":true,"top_logprobs":5,
                 "_debug_render_only":true,"width":512,"brand_new_field":{"nested":[1,"two",null]}}
                """;
    GenerateRequest r = roundTrip(json, GenerateRequest.class);
    assertEquals("llama3.2", r.model());
    assertEquals(Think.HIGH, r.think());
    assertEquals(Duration.ofMinutes(5), r.keepAlive().duration());
    assertEquals(Boolean.TRUE, r.debugRenderOnly());
    assertEquals(512, r.extra().get("width"));
    assertTrue(r.extra().containsKey("brand_new_field"));
    assertEquals(0.2, r.options().temperature());
    assertEquals(8192, r.options().numCtx());
  }

  @Test
  void pythonClientRequestRoundTrips() throws Exception {
    // the Python client sends explicit fields and numeric keep_alive
    roundTrip(
        """
                {"model":"qwen3","prompt":"hi","stream":true,"think":false,"keep_alive":300,
                 "options":{"seed":42,"mirostat":2,"top_p":0.9}}
                """,
        GenerateRequest.class);
  }

  @Test
  void builderOmitsUnsetFieldsAndStripsDataUris() throws Exception {
    GenerateRequest r =
        GenerateRequest.builder("llava")
            .prompt("describe")
            .image("data:image/png;base64,iVBORw0KGgo=")
            .image(new byte[] {1, 2, 3})
            .keepAlive(KeepAlive.FOREVER)
            .think(true)
            .build();
    assertEquals(
        tree(
            """
                {"model":"llava","prompt":"describe","images":["iVBORw0KGgo=","AQID"],"keep_alive":-1,"think":true}
                """),
        write(r));
    assertEquals(tree("{\"model\":\"m\"}"), write(GenerateRequest.builder("m").build()));
  }

  @Test
  void withStreamReplacesOnlyStream() throws Exception {
    GenerateRequest r =
        GenerateRequest.builder("m").prompt("p").extra("x", 1).build().withStream(true);
    assertEquals(tree("{\"model\":\"m\",\"prompt\":\"p\",\"stream\":true,\"x\":1}"), write(r));
  }

  @Test
  void finalChunkWithGoEscapesAndMetrics() throws Exception {
    String json =
        """
                {"model":"deepseek-r1","created_at":"2026-08-21T10:15:30.123456789Z",
                 "response":"\\u003cthink\\u003e ok \\u0026 done","thinking":"hmm","done":true,"done_reason":"stop",
                 "context":[128006,9125],"total_duration":5191566416,"load_duration":2154458,
                 "prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000,
                 "logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105]},{"token":"Hello","logprob":-1.5}]}],
                 "remote_model":"deepseek-r1:671b","remote_host":"https://ollama.com:443",
                 "brand_new_field":true}
                """;
    GenerateResponse r = roundTrip(json, GenerateResponse.class);
    assertEquals("<think> ok & done", r.response());
    assertEquals(Duration.ofNanos(5191566416L), r.totalDurationTime());
    assertEquals(
        OffsetDateTime.of(2026, 8, 21, 10, 15, 30, 123456789, ZoneOffset.UTC), r.createdAtTime());
    assertEquals(298 * 1e9 / 4799921000L, r.tokensPerSecond(), 1e-9);
    assertEquals(List.of(72, 105), r.logprobs().get(0).bytes());
    assertEquals(Map.of("brand_new_field", true), r.extra());
  }

  @Test
  void loadReplyWithOmittedMetricsAndShortFraction() throws Exception {
    GenerateResponse r =
        roundTrip(
            """
                {"model":"m","created_at":"2026-08-21T10:15:30.5Z","response":"","done":true,"done_reason":"load"}
                """,
            GenerateResponse.class);
    assertNull(r.evalCount());
    assertEquals(Duration.ZERO, r.evalDurationTime());
    assertEquals(0.0, r.tokensPerSecond());
    assertEquals(500_000_000, r.createdAtTime().getNano());
    assertTrue(r.extra().isEmpty());
  }

  @Test
  void certainTokensHaveLogprobZeroWrittenAsGoDoes() throws Exception {
    GenerateResponse r =
        roundTrip(
            """
                {"model":"m","created_at":"2026-08-21T10:15:30Z","response":".","done":false,
                 "logprobs":[{"token":".","logprob":0,"bytes":[46],"top_logprobs":[{"token":".","logprob":0},{"token":"!","logprob":-20}]}]}
                """,
            GenerateResponse.class);
    assertEquals(0.0, r.logprobs().get(0).logprob());
  }

  @Test
  void debugInfoRoundTrips() throws Exception {
    GenerateResponse r =
        roundTrip(
            """
                {"model":"m","created_at":"2026-08-21T10:15:30Z","response":"","done":false,
                 "_debug_info":{"rendered_template":"\\u003c|user|\\u003ehi","image_count":1}}
                """,
            GenerateResponse.class);
    assertEquals("<|user|>hi", r.debugInfo().renderedTemplate());
    assertFalse(r.done());
  }

  @Test
  void helpersAreNotWrittenAsProperties() throws Exception {
    GenerateResponse r =
        new GenerateResponse(
            "m",
            "2026-01-01T00:00:00Z",
            "",
            null,
            true,
            null,
            null,
            10L,
            null,
            null,
            null,
            3,
            1000L,
            null,
            null,
            null,
            null,
            null,
            null);
    assertEquals(
        tree(
            """
                {"model":"m","created_at":"2026-01-01T00:00:00Z","response":"","done":true,
                 "total_duration":10,"eval_count":3,"eval_duration":1000}
                """),
        write(r));
  }
}
