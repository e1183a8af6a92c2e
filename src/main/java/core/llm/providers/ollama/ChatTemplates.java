package core.llm.providers.ollama;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat formats whose tokens this library can count without running Go templates: a model's
 * {@code template} is recognised by the turn markers it writes, when the vocabulary has them as
 * special pieces, and is "plain" when it writes nothing else of its own (no default system prompt,
 * no date line) outside the tool blocks. Only a plain template's overhead is counted exactly.
 */
final class ChatTemplates {
  private ChatTemplates() {}

  enum Format {
    /** {@code <|im_start|>role\n...<|im_end|>\n}, then {@code <|im_start|>assistant\n}. */
    CHATML("<|im_start|>", "<|im_end|>"),
    /** {@code <|start_header_id|>role<|end_header_id|>\n\n...<|eot_id|>}. */
    LLAMA3("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"),
    /** {@code <start_of_turn>user|model\n...<end_of_turn>\n}; system is a user turn. */
    GEMMA("<start_of_turn>", "<end_of_turn>");

    final List<String> markers;

    Format(String... markers) {
      this.markers = List.of(markers);
    }
  }

  /**
   * What {@link #detect} found.
   *
   * @param format the recognised format, empty when none
   * @param notPlain why the prompt may hold more than the format's markers and the turns (text of
   *     the template's own, a Jinja template, a built-in renderer); null when it holds just that
   */
  record Detected(Optional<Format> format, String notPlain) {
    boolean plain() {
      return notPlain == null;
    }
  }

  /** One turn as the template sees it. */
  record Turn(String role, String content) {}

  private static final Pattern ACTION = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
  private static final Pattern TOOL_CONDITION = Pattern.compile("\\.(Tools|ToolCalls)\\b");
  private static final Pattern ROLE_WORDS =
      Pattern.compile("\\b(system|user|assistant|model|tool)\\b");

  /**
   * The format of {@code template}. {@code renderer} is {@code /api/show}'s: a model Ollama renders
   * with built-in code, where the template text is not what runs.
   */
  static Detected detect(String template, String renderer, OllamaVocabulary vocab) {
    if (template == null) {
      return new Detected(Optional.empty(), "no template");
    }
    for (Format f : Format.values()) {
      if (template.contains(f.markers.get(0))
          && f.markers.stream().allMatch(m -> vocab.specials().contains(m))) {
        String why;
        if (renderer != null && !renderer.isBlank()) {
          why = "Ollama renders this model with its built-in '" + renderer + "' renderer";
        } else if (template.contains("{%")) {
          // a native-template model's Jinja: its expressions can write any text
          why = "the Jinja chat template is not rendered here";
        } else {
          why = literalText(template, vocab).isEmpty() ? null : "the template adds text of its own";
        }
        return new Detected(Optional.of(f), why);
      }
    }
    return new Detected(Optional.empty(), "chat template not recognised");
  }

  /**
   * The template's own words: its literal text with the actions, the branches that only render
   * tools (a request with tools is an estimate anyway), the special pieces, the role names and the
   * white space taken out. An else branch of a tools condition is kept, as it renders without
   * tools.
   */
  static String literalText(String template, OllamaVocabulary vocab) {
    StringBuilder kept = new StringBuilder();
    Matcher m = ACTION.matcher(template);
    int depth = 0;
    int skipDepth = -1; // the depth of the tools branch being left out, or -1
    int at = 0;
    while (m.find()) {
      if (skipDepth < 0) {
        // a space where the action was, so words on both sides stay apart
        kept.append(template, at, m.start()).append(' ');
      }
      at = m.end();
      String action = m.group(1).trim();
      String keyword = action.split("\\s+", 2)[0];
      switch (keyword) {
        case "if", "range", "with", "block", "define" -> {
          depth++;
          if (skipDepth < 0 && keyword.equals("if") && TOOL_CONDITION.matcher(action).find()) {
            skipDepth = depth;
          }
        }
        case "else" -> {
          if (skipDepth == depth) {
            skipDepth = -1;
          }
        }
        case "end" -> {
          if (skipDepth == depth) {
            skipDepth = -1;
          }
          depth--;
        }
        default -> {}
      }
    }
    if (skipDepth < 0) {
      kept.append(template.substring(at));
    }
    String text = kept.toString();
    for (String special : vocab.specials()) {
      if (text.contains(special)) {
        text = text.replace(special, " ");
      }
    }
    return ROLE_WORDS.matcher(text).replaceAll("").replaceAll("\\s+", "");
  }

  /**
   * Whether a Gemma template writes a system message as a user turn ({@code or (eq .Role "user")
   * (eq .Role "system")}), as {@link #render} does; Gemma 2's folds it into the next user turn.
   */
  static boolean gemmaSystemIsAUserTurn(String template) {
    return GEMMA_SYSTEM_AS_USER.matcher(template).find();
  }

  private static final Pattern GEMMA_SYSTEM_AS_USER =
      Pattern.compile(
          "if or \\(eq \\.Role \"(user|system)\"\\) \\(eq \\.Role \"(user|system)\"\\)");

  /**
   * The prompt {@code format} makes of {@code turns}, as the format's template in Ollama's library
   * writes it: every turn closed with its end marker, then the header the assistant answers after.
   */
  static String render(Format format, List<Turn> turns) {
    StringBuilder sb = new StringBuilder();
    for (Turn t : turns) {
      switch (format) {
        case CHATML ->
            sb.append("<|im_start|>")
                .append(t.role())
                .append('\n')
                .append(t.content())
                .append("<|im_end|>\n");
        case LLAMA3 ->
            sb.append("<|start_header_id|>")
                .append(t.role())
                .append("<|end_header_id|>\n\n")
                .append(t.content())
                .append("<|eot_id|>");
        case GEMMA ->
            sb.append("<start_of_turn>")
                .append(t.role().equals("assistant") ? "model" : "user")
                .append('\n')
                .append(t.content())
                .append("<end_of_turn>\n");
      }
    }
    sb.append(
        switch (format) {
          case CHATML -> "<|im_start|>assistant\n";
          case LLAMA3 -> "<|start_header_id|>assistant<|end_header_id|>\n\n";
          case GEMMA -> "<start_of_turn>model\n";
        });
    return sb.toString();
  }
}
