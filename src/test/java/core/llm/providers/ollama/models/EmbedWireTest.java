package core.llm.providers.ollama.models;

import static core.llm.providers.ollama.models.Json.roundTrip;
import static core.llm.providers.ollama.models.Json.tree;
import static core.llm.providers.ollama.models.Json.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation")
class EmbedWireTest {

  @Test
  void embedRequestsRoundTripInBothInputForms() throws Exception {
    EmbedRequest single =
        roundTrip(
            """
                {"model":"all-minilm","input":"Why is the sky blue?","truncate":false,"dimensions":256,
                 "keep_alive":"10m","options":{"num_batch":2048},"brand_new_field":1}
                """,
            EmbedRequest.class);
    assertFalse(single.input().isBatch());
    assertEquals(1, single.extra().get("brand_new_field"));
    EmbedRequest batch =
        roundTrip(
            """
                {"model":"all-minilm","input":["a","b"],"keep_alive":60}
                """,
            EmbedRequest.class);
    assertEquals(List.of("a", "b"), batch.input().texts());
  }

  @Test
  void embedBuilder() throws Exception {
    EmbedRequest r =
        EmbedRequest.builder("e")
            .input(List.of("x", "y"))
            .dimensions(64)
            .keepAlive(KeepAlive.of(Duration.ofSeconds(90)))
            .build();
    assertEquals(
        tree("{\"model\":\"e\",\"input\":[\"x\",\"y\"],\"dimensions\":64,\"keep_alive\":90}"),
        write(r));
  }

  @Test
  void embedResponseRoundTripsGoFloat32Values() throws Exception {
    EmbedResponse r =
        roundTrip(
            """
                {"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862,0.05007221,0.04692972,0.054916814,1e-07],
                 [-0.0098027075,0.06042469,0.025257962,-0.006364387,0.07272725,0.017194884]],
                 "total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}
                """,
            EmbedResponse.class);
    assertEquals(2, r.embeddings().length);
    assertEquals(0.010071029f, r.embeddings()[0][0]);
    assertEquals(Duration.ofNanos(14143917), r.totalDurationTime());
  }

  @Test
  void integralFloatsAreWrittenTheGoWay() throws Exception {
    // Go writes float32 zero as 0, not 0.0; writing 0.0 would change the JSON tree
    roundTrip("{\"model\":\"e\",\"embeddings\":[[0,1,-1,0.5]]}", EmbedResponse.class);
    roundTrip("{\"embedding\":[0,-2,0.25]}", EmbeddingsResponse.class);
  }

  @Test
  void embedLoadReplyHasEmptyEmbeddings() throws Exception {
    EmbedResponse r = roundTrip("{\"model\":\"e\",\"embeddings\":[]}", EmbedResponse.class);
    assertEquals(0, r.embeddings().length);
    assertTrue(r.extra().isEmpty());
  }

  @Test
  void legacyEmbeddings() throws Exception {
    roundTrip(
        "{\"model\":\"m\",\"prompt\":\"hi\",\"keep_alive\":\"5m\",\"options\":{\"seed\":1}}",
        EmbeddingsRequest.class);
    EmbeddingsResponse r =
        roundTrip(
            "{\"embedding\":[0.5670403838157654,-0.009260174818336964,1.5]}",
            EmbeddingsResponse.class);
    assertArrayEquals(new double[] {0.5670403838157654, -0.009260174818336964, 1.5}, r.embedding());
  }
}
