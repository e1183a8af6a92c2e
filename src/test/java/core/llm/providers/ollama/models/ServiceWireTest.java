package core.llm.providers.ollama.models;

import static core.llm.providers.ollama.models.Json.roundTrip;
import static core.llm.providers.ollama.models.Json.tree;
import static core.llm.providers.ollama.models.Json.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServiceWireTest {

  @Test
  void versionStatusAndErrors() throws Exception {
    VersionResponse v = roundTrip("{\"version\":\"0.33.0-rc2\"}", VersionResponse.class);
    assertTrue(v.ollamaVersion().isAtLeast("0.22.0"));
    assertEquals(tree("{\"version\":\"0.33.0-rc2\"}"), write(v));
    StatusResponse s =
        roundTrip("{\"cloud\":{\"disabled\":true,\"source\":\"env\"}}", StatusResponse.class);
    assertTrue(s.cloud().disabled());
    ErrorResponse e =
        roundTrip(
            """
                {"error":"unauthorized","signin_url":"https://ollama.com/connect?name=host\\u0026key=abc"}
                """,
            ErrorResponse.class);
    assertEquals("https://ollama.com/connect?name=host&key=abc", e.signinUrl());
    ErrorResponse plain = roundTrip("{\"error\":\"model 'x' not found\"}", ErrorResponse.class);
    assertNull(plain.signinUrl());
  }

  @Test
  void account() throws Exception {
    roundTrip(
        """
                {"id":"3f1c8a2e-0000-4000-8000-000000000000","email":"a@b.c","name":"alice","bio":"hi",
                 "avatarurl":"https://x/y.png","firstname":"Alice","lastname":"L","plan":"free"}
                """,
        MeResponse.class);
    roundTrip(
        "{\"id\":\"u\",\"email\":\"a@b.c\",\"name\":\"alice\",\"plan\":\"pro\"}", MeResponse.class);
  }

  @Test
  void webSearchAndFetch() throws Exception {
    assertEquals(
        tree("{\"query\":\"ollama\",\"max_results\":3}"), write(new WebSearchRequest("ollama", 3)));
    assertFalse(write(new WebSearchRequest("q", null)).has("max_results"));
    WebSearchResponse r =
        roundTrip(
            """
                {"results":[{"title":"Ollama","url":"https://ollama.com","content":"Get up and running \\u003e"}]}
                """,
            WebSearchResponse.class);
    assertEquals("Get up and running >", r.results().get(0).content());
    roundTrip("{\"url\":\"https://ollama.com\"}", WebFetchRequest.class);
    roundTrip(
        "{\"title\":\"Ollama\",\"content\":\"text\",\"links\":[\"https://a\",\"https://b\"]}",
        WebFetchResponse.class);
    roundTrip("{\"title\":\"Ollama\",\"content\":\"text\"}", WebFetchResponse.class);
  }

  @Test
  void modelRecommendations() throws Exception {
    ModelRecommendationsResponse r =
        roundTrip(
            """
                {"recommendations":[{"model":"gpt-oss:20b","description":"reasoning","context_length":131072,
                  "max_output_tokens":32768,"vram_bytes":14000000000,"required_plan":"free"},
                 {"model":"qwen3:4b","description":"small"}]}
                """,
            ModelRecommendationsResponse.class);
    assertEquals(14_000_000_000L, r.recommendations().get(0).vramBytes());
    assertNull(r.recommendations().get(1).contextLength());
  }
}
