package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.common.CompletionRequest;
import core.llm.common.TokenCount;
import core.llm.providers.ollama.models.ShowResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Counting a whole chat prompt from a verbose {@code /api/show}: the Llama 3 and Gemma formats with
 * BOS, and the cases that must say "estimate". Expected counts are derived by hand in the comments.
 */
class OllamaModelTokensTest {

  static ShowResponse show(String template, JsonObject modelInfo) {
    JsonObject body = new JsonObject().put("template", template).put("model_info", modelInfo);
    try {
      return OllamaJson.MAPPER.readValue(body.encode(), ShowResponse.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Pieces with their types: 3 (control) for the listed ones, 1 for the others. */
  static JsonArray types(List<String> pieces, List<String> control) {
    JsonArray t = new JsonArray();
    pieces.forEach(p -> t.add(control.contains(p) ? 3 : 1));
    return t;
  }

  private static final List<String> LLAMA3_PIECES =
      List.of(
          "<|begin_of_text|>",
          "<|start_header_id|>",
          "<|end_header_id|>",
          "<|eot_id|>",
          "user",
          "assistant",
          "ĊĊ",
          "hello",
          "Ċ");
  private static final List<String> LLAMA3_CONTROL = LLAMA3_PIECES.subList(0, 4);

  static JsonObject llama3Info() {
    return new JsonObject()
        .put("tokenizer.ggml.model", "gpt2")
        .put("tokenizer.ggml.pre", "llama-bpe")
        .put("tokenizer.ggml.tokens", new JsonArray(LLAMA3_PIECES))
        .put("tokenizer.ggml.token_type", types(LLAMA3_PIECES, LLAMA3_CONTROL))
        .put("tokenizer.ggml.merges", new JsonArray().add("Ċ Ċ"))
        .put("tokenizer.ggml.bos_token_id", 0)
        .put("tokenizer.ggml.eos_token_id", 3)
        .put("tokenizer.ggml.add_bos_token", true);
  }

  static final String LLAMA3_TEMPLATE =
      "{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n"
          + "{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n";

  @Test
  void llama3PromptIsCountedExactlyWithBos() {
    OllamaModelTokens tokens = OllamaModelTokens.from(show(LLAMA3_TEMPLATE, llama3Info()));
    // <|begin_of_text|> <|start_header_id|> user <|end_header_id|> ĊĊ hello <|eot_id|>
    // <|start_header_id|> assistant <|end_header_id|> ĊĊ  = 11
    TokenCount c = tokens.count(CompletionRequest.builder("m").user("hello").build());
    assertEquals(new TokenCount(11, true, "ollama-vocabulary"), c);
  }

  @Test
  void aTemplateWithTextOfItsOwnIsAnEstimate() {
    String dated =
        "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
            + LLAMA3_TEMPLATE;
    TokenCount c =
        OllamaModelTokens.from(show(dated, llama3Info()))
            .count(CompletionRequest.builder("m").user("hello").build());
    assertFalse(c.exact());
    assertTrue(c.method().contains("the template adds text of its own"), c.method());
    // text inside a tools-only branch does not count against a plain template
    String withTools =
        "{{- if .Tools }}You have these tools: {{ .Tools }}{{ end }}" + LLAMA3_TEMPLATE;
    assertTrue(
        OllamaModelTokens.from(show(withTools, llama3Info()))
            .count(CompletionRequest.builder("m").user("hello").build())
            .exact());
    // but the else branch of a tools condition renders without tools
    String withElse = "{{ if .Tools }}tools{{ else }}Be brief.{{ end }}" + LLAMA3_TEMPLATE;
    assertFalse(
        OllamaModelTokens.from(show(withElse, llama3Info()))
            .count(CompletionRequest.builder("m").user("hello").build())
            .exact());
  }

  @Test
  void jinjaTemplatesAndBuiltInRenderersAreEstimates() {
    CompletionRequest hello = CompletionRequest.builder("m").user("hello").build();
    String jinja =
        "{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>"
            + "\n\n{{ message['content'] }}<|eot_id|>{% endfor %}";
    TokenCount c = OllamaModelTokens.from(show(jinja, llama3Info())).count(hello);
    assertFalse(c.exact());
    assertTrue(c.method().contains("Jinja"), c.method());

    ShowResponse rendered;
    try {
      rendered =
          OllamaJson.MAPPER.readValue(
              new JsonObject()
                  .put("template", LLAMA3_TEMPLATE)
                  .put("renderer", "qwen3-coder")
                  .put("model_info", llama3Info())
                  .encode(),
              ShowResponse.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    TokenCount r = OllamaModelTokens.from(rendered).count(hello);
    assertEquals(11, r.tokens());
    assertFalse(r.exact());
    assertTrue(r.method().contains("'qwen3-coder' renderer"), r.method());
  }

  @Test
  void aLastAssistantMessageUnderALastAwareTemplateIsAnEstimate() {
    String lastAware = "{{ $last := true }}" + LLAMA3_TEMPLATE;
    CompletionRequest prefill =
        CompletionRequest.builder("m")
            .user("hello")
            .message(core.llm.common.ChatMessage.assistant("hello"))
            .build();
    TokenCount c = OllamaModelTokens.from(show(lastAware, llama3Info())).count(prefill);
    assertFalse(c.exact());
    assertTrue(c.method().contains("last assistant message"), c.method());
    // the library's plain template closes it and adds the header: exact
    assertTrue(OllamaModelTokens.from(show(LLAMA3_TEMPLATE, llama3Info())).count(prefill).exact());
  }

  @Test
  void toolsAndImagesMakeItAnEstimate() {
    OllamaModelTokens tokens = OllamaModelTokens.from(show(LLAMA3_TEMPLATE, llama3Info()));
    var tool =
        new core.llm.common.ToolDefinition(
            "f", "d", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
    TokenCount withTool =
        tokens.count(CompletionRequest.builder("m").user("hello").tool(tool).build());
    assertFalse(withTool.exact());
    assertTrue(withTool.tokens() >= 11, "the tool text is added to the prompt's 11");
    TokenCount withImage =
        tokens.count(
            new CompletionRequest(
                "m",
                List.of(
                    core.llm.common.ChatMessage.user(
                        "hello", List.of(core.llm.common.ImageData.of("aGk=")))),
                null,
                null,
                null,
                null));
    assertFalse(withImage.exact());
    assertTrue(withImage.method().contains("images not counted"), withImage.method());
  }

  @Test
  void gemmaOnSentencePieceCountsSystemAsAUserTurn() {
    List<String> pieces =
        List.of(
            "<bos>",
            "<start_of_turn>",
            "<end_of_turn>", // 0-2
            "u",
            "s",
            "e",
            "r",
            "\n",
            "h",
            "i",
            "m",
            "o",
            "d",
            "l", // 3-13
            "us",
            "er",
            "user",
            "hi",
            "mo",
            "de",
            "mode",
            "model"); // 14-21
    JsonArray scores = new JsonArray();
    List<Double> merged = List.of(-1.0, -2.0, -3.0, -1.0, -1.0, -2.0, -3.0, -4.0);
    for (int i = 0; i < pieces.size(); i++) {
      scores.add(i < 14 ? -100.0 : merged.get(i - 14));
    }
    JsonObject info =
        new JsonObject()
            .put("tokenizer.ggml.model", "llama")
            .put("tokenizer.ggml.tokens", new JsonArray(pieces))
            .put("tokenizer.ggml.scores", scores)
            .put("tokenizer.ggml.token_type", types(pieces, pieces.subList(0, 3)))
            .put("tokenizer.ggml.bos_token_id", 0)
            .put("tokenizer.ggml.add_bos_token", true);
    String template = GEMMA3_TEMPLATE;
    // <bos> | <start_of_turn> user \n hi <end_of_turn> \n | <start_of_turn> model \n  = 10
    // ("user": us and hi at -1 merge first, leftmost first, then er, then us+er; "model": mo, de,
    // mode, model)
    TokenCount c =
        OllamaModelTokens.from(show(template, info))
            .count(CompletionRequest.builder("m").system("hi").build());
    // the count is the vocabulary's, but a SentencePiece prompt is never called exact (the two
    // engines disagree on the leading word marker)
    assertEquals(10, c.tokens());
    assertFalse(c.exact());
    assertTrue(c.method().contains("SentencePiece prompts may differ by one token"), c.method());
    // Gemma 2's template folds the system prompt into the next user turn: not what is rendered here
    String gemma2 =
        "{{- $system := \"\" }}{{- range .Messages }}{{- if eq .Role \"system\" }}"
            + "{{ $system = .Content }}{{- continue }}{{- else if eq .Role \"user\" }}<start_of_turn>user"
            + "{{- if $system }}\n{{ $system }}{{- $system = \"\" }}{{- end }}"
            + "{{- else if eq .Role \"assistant\" }}<start_of_turn>model{{- end }}\n"
            + "{{ .Content }}<end_of_turn>\n{{ end }}<start_of_turn>model\n";
    TokenCount folded =
        OllamaModelTokens.from(show(gemma2, info))
            .count(CompletionRequest.builder("m").system("hi").user("hi").build());
    assertFalse(folded.exact());
    assertTrue(folded.method().contains("system prompt its own way"), folded.method());
  }

  /** The shape of the gemma3 template on ollama.com: system is a user turn, $last for prefill. */
  static final String GEMMA3_TEMPLATE =
      "{{- range $i, $_ := .Messages }}{{- $last := eq (len (slice $.Messages $i)) 1 }}"
          + "{{- if or (eq .Role \"user\") (eq .Role \"system\") }}<start_of_turn>user\n"
          + "{{ .Content }}<end_of_turn>\n{{ if $last }}<start_of_turn>model\n{{ end }}"
          + "{{- else if eq .Role \"assistant\" }}<start_of_turn>model\n"
          + "{{ .Content }}{{ if not $last }}<end_of_turn>\n{{ end }}{{- end }}{{- end }}";

  @Test
  void consecutiveMessagesOfOneRoleAreMergedAsOllamaCollatesThem() {
    OllamaModelTokens tokens = OllamaModelTokens.from(show(LLAMA3_TEMPLATE, llama3Info()));
    // one user turn "hello\n\nhello": ... hello Ċ Ċ hello ... : 11 + 2 ("\n\n" is ĊĊ, one token)
    TokenCount c = tokens.count(CompletionRequest.builder("m").user("hello").user("hello").build());
    assertEquals(new TokenCount(13, true, "ollama-vocabulary"), c);
  }

  @Test
  void historyIsExactOnMessagesTemplatesButNotOnLegacyOnes() {
    CompletionRequest history =
        CompletionRequest.builder("m")
            .user("hello")
            .message(core.llm.common.ChatMessage.assistant("hello"))
            .user("hello")
            .build();
    // 11 for the last exchange + <|start_header_id|> assistant <|end_header_id|> ĊĊ hello
    // <|eot_id|> + <|start_header_id|> user <|end_header_id|> ĊĊ hello <|eot_id|> = 11 + 12
    assertEquals(
        new TokenCount(23, true, "ollama-vocabulary"),
        OllamaModelTokens.from(show(LLAMA3_TEMPLATE, llama3Info())).count(history));
    String legacy =
        "{{ if .Prompt }}<|start_header_id|>user<|end_header_id|>\n\n{{ .Prompt }}<|eot_id|>"
            + "{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n{{ .Response }}<|eot_id|>";
    TokenCount old = OllamaModelTokens.from(show(legacy, llama3Info())).count(history);
    assertEquals(23, old.tokens());
    assertFalse(old.exact());
    assertTrue(old.method().contains("legacy template"), old.method());
  }

  @Test
  void anUnknownPreTokenizerIsCountedAsLlama3ButCalledAnEstimate() {
    TokenCount c =
        OllamaModelTokens.from(
                show(LLAMA3_TEMPLATE, llama3Info().put("tokenizer.ggml.pre", "deepseek-v3")))
            .count(CompletionRequest.builder("m").user("hello").build());
    assertEquals(11, c.tokens());
    assertFalse(c.exact());
    assertTrue(c.method().contains("pre-tokenizer 'deepseek-v3' unknown"), c.method());
  }

  @Test
  void buildingOnAnEventLoopIsRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            try {
              OllamaModelTokens.from(show(LLAMA3_TEMPLATE, llama3Info()));
              failure.complete(null);
            } catch (RuntimeException e) {
              failure.complete(e);
            }
          });
      assertInstanceOf(IllegalStateException.class, failure.get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().await();
    }
  }
}
