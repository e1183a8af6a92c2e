package core.llm.providers.ollama.models;

import static core.llm.providers.ollama.models.Json.MAPPER;
import static core.llm.providers.ollama.models.Json.roundTrip;
import static core.llm.providers.ollama.models.Json.tree;
import static core.llm.providers.ollama.models.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptionsWireTest {

  @Test
  void everyKnownKeyRoundTrips() throws Exception {
    Options o =
        roundTrip(
            """
                {"num_ctx":32768,"num_batch":512,"num_gpu":-1,"main_gpu":0,"use_mmap":false,"num_thread":8,
                 "draft_num_predict":4,"num_keep":4,"seed":-1,"num_predict":-1,"top_k":40,"top_p":0.9,"min_p":0.05,
                 "typical_p":1.0,"repeat_last_n":64,"temperature":0.8,"repeat_penalty":1.1,"presence_penalty":0.0,
                 "frequency_penalty":0.0,"stop":["\\u003c|eot_id|\\u003e","User:"]}
                """,
            Options.class);
    assertTrue(o.extra().isEmpty(), o.extra().toString());
    assertEquals(-1L, o.seed());
    assertEquals(0.05, o.minP().doubleValue());
  }

  @Test
  void integerAndDecimalFloatsKeepTheirForm() throws Exception {
    // JS sends 1 and 0, Python sends 1.0 and 0.0: both must come back as sent
    roundTrip("{\"temperature\":1,\"top_p\":0,\"repeat_penalty\":1}", Options.class);
    roundTrip("{\"temperature\":1.0,\"top_p\":0.0,\"repeat_penalty\":1.0}", Options.class);
    assertEquals(
        1.0, MAPPER.readValue("{\"temperature\":1}", Options.class).temperature().doubleValue());
  }

  @Test
  void removedAndUnknownKeysAreKeptInExtra() throws Exception {
    Options o =
        roundTrip(
            "{\"mirostat\":2,\"numa\":false,\"brand_new_field\":\"x\",\"temperature\":0.1}",
            Options.class);
    assertEquals(2, o.extra().get("mirostat"));
    assertEquals(3, o.extra().size());
  }

  @Test
  void builderWritesOnlySetKeys() throws Exception {
    Options o =
        Options.builder()
            .numCtx(8192)
            .temperature(0.7)
            .seed(42L)
            .useMmap(true)
            .stop("a", "b")
            .extra("mirostat", 0)
            .build();
    assertEquals(
        tree(
            """
                {"num_ctx":8192,"temperature":0.7,"seed":42,"use_mmap":true,"stop":["a","b"],"mirostat":0}
                """),
        write(o));
    assertEquals(tree("{}"), write(Options.builder().build()));
  }
}
