package core.llm.providers.ollama;

import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.Role;
import core.llm.common.TokenCount;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.ShowResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What counting a model's prompts needs, from its verbose {@code /api/show}: the tokenizer built
 * from its vocabulary, the chat format its template writes, and the system prompt and messages its
 * Modelfile adds to every chat. Built once per model digest, off the event loop.
 */
final class OllamaModelTokens {
  /** The exact method's name in a {@link TokenCount}. */
  static final String METHOD = "ollama-vocabulary";

  /** Turn markers per message when the template is not one this library renders (estimate). */
  static final int PER_MESSAGE = 4;

  private final OllamaTokenizer tokenizer; // null when the kind is not one this library reads
  private final String preEstimate; // why the word split may differ from Ollama's, or null
  private final ChatTemplates.Detected template;
  private final boolean templateRendersThinking;
  private final String templateText;
  private final String system;
  private final List<Message> modelMessages;

  private OllamaModelTokens(
      OllamaTokenizer tokenizer,
      String preEstimate,
      ChatTemplates.Detected template,
      ShowResponse show) {
    this.tokenizer = tokenizer;
    this.preEstimate = preEstimate;
    this.template = template;
    this.templateText = show.template() == null ? "" : show.template();
    this.templateRendersThinking = templateText.contains(".Thinking");
    this.system = show.system();
    this.modelMessages = show.messages() == null ? List.of() : List.copyOf(show.messages());
  }

  /**
   * Reads the vocabulary out of {@code show}'s {@code model_info}. Refuses to run on an event loop:
   * a real vocabulary is 100k+ pieces and as many merges, tens of milliseconds of work.
   */
  static OllamaModelTokens from(ShowResponse show) {
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "An Ollama vocabulary is being built on an event loop thread, which would block it;"
              + " build it with vertx.executeBlocking.");
    }
    Map<String, Object> info = show.modelInfo() == null ? Map.of() : show.modelInfo();
    Object kindValue = info.get("tokenizer.ggml.model");
    String kind = kindValue instanceof String s ? s : null;
    List<String> pieces = strings(info.get("tokenizer.ggml.tokens"));
    ChatTemplates.Detected none = new ChatTemplates.Detected(Optional.empty(), "no vocabulary");
    if (!"gpt2".equals(kind) && !"llama".equals(kind) || pieces.isEmpty()) {
      // another tokenizer kind (wordpiece...), or a server too old to give the vocabulary
      return new OllamaModelTokens(null, null, none, show);
    }
    OllamaVocabulary vocab =
        new OllamaVocabulary(
            pieces,
            ints(info.get("tokenizer.ggml.token_type")),
            floats(info.get("tokenizer.ggml.scores")),
            "gpt2".equals(kind) ? strings(info.get("tokenizer.ggml.merges")) : null,
            // a missing id is 0 in Ollama too, and a missing add_bos means add
            intValue(info.get("tokenizer.ggml.bos_token_id"), 0),
            boolValue(info.get("tokenizer.ggml.add_bos_token"), true),
            intValue(info.get("tokenizer.ggml.eos_token_id"), 0),
            boolValue(info.get("tokenizer.ggml.add_eos_token"), false));
    OllamaTokenizer tokenizer;
    String preEstimate = null;
    if ("gpt2".equals(kind)) {
      String pre = info.get("tokenizer.ggml.pre") instanceof String s ? s : null;
      Optional<List<Pattern>> patterns = PreTokenizers.named(pre);
      if (patterns.isEmpty()) {
        preEstimate = "pre-tokenizer '" + pre + "' unknown, split as llama-bpe";
      }
      tokenizer = new BytePairEncoding(vocab, patterns.orElseGet(PreTokenizers::fallback));
    } else {
      tokenizer = new SentencePieceEncoding(vocab);
    }
    return new OllamaModelTokens(
        tokenizer,
        preEstimate,
        ChatTemplates.detect(show.template(), show.renderer(), vocab),
        show);
  }

  /**
   * The count of {@code request}'s prompt: exact when the tokenizer, its word split and the chat
   * format are all known and nothing in the request (tools, images, thinking the template renders)
   * adds text this library does not render; otherwise the vocabulary's count marked an estimate
   * with the reasons. CPU work proportional to the prompt: run it off the event loop.
   */
  TokenCount count(CompletionRequest request) {
    if (tokenizer == null) {
      // today's estimate, unchanged, so callers keyed on its method see no difference
      return TokenCount.estimate(request);
    }
    List<String> why = new ArrayList<>();
    if (preEstimate != null) {
      why.add(preEstimate);
    }
    if (tokenizer instanceof SentencePieceEncoding) {
      // Ollama's Go tokenizer and the llama.cpp engine (0.30+) disagree on the leading word
      // marker of a SentencePiece prompt: one token either way, so it is not called exact
      why.add("SentencePiece prompts may differ by one token between Ollama's two engines");
    }
    List<ChatTemplates.Turn> turns = turns(request, why);
    long tokens;
    Optional<ChatTemplates.Format> format = template.format();
    if (format.isPresent()) {
      if (!template.plain()) {
        why.add(template.notPlain());
      }
      why.addAll(layoutDoubts(format.get(), turns));
      tokens = tokenizer.encode(ChatTemplates.render(format.get(), turns), true).length;
    } else {
      why.add(template.notPlain());
      tokens = tokenizer.encode("", true).length;
      for (ChatTemplates.Turn t : turns) {
        tokens += tokenizer.encode(t.content(), false).length + PER_MESSAGE;
      }
    }
    for (ToolDefinition t : request.tools()) {
      String description = t.description() == null ? "" : t.description();
      tokens += text(t.name() + " " + description + " " + t.parameters());
    }
    if (!request.tools().isEmpty()) {
      why.add("tool definitions counted as text");
    }
    String method = why.isEmpty() ? METHOD : METHOD + " estimate: " + String.join("; ", why);
    return new TokenCount((int) Math.min(Integer.MAX_VALUE, tokens), why.isEmpty(), method);
  }

  /**
   * Where a recognised template may lay these turns out otherwise than {@link
   * ChatTemplates#render}: the template variants differ in exactly these cases.
   */
  private List<String> layoutDoubts(ChatTemplates.Format format, List<ChatTemplates.Turn> turns) {
    List<String> why = new ArrayList<>();
    boolean history = turns.stream().anyMatch(t -> t.role().equals(Message.ASSISTANT));
    if (!templateText.contains(".Messages") && history) {
      // a legacy .Prompt/.Response template is run once per exchange: its spacing between them
      // varies
      why.add("a legacy template's history layout is not reproduced");
    }
    if (!turns.isEmpty()
        && turns.get(turns.size() - 1).role().equals(Message.ASSISTANT)
        && templateText.contains("$last")) {
      why.add("the template continues a last assistant message its own way");
    }
    if (format == ChatTemplates.Format.GEMMA
        && turns.stream().anyMatch(t -> t.role().equals(Message.SYSTEM))
        && !ChatTemplates.gemmaSystemIsAUserTurn(templateText)) {
      why.add("the template places the system prompt its own way");
    }
    return why;
  }

  /**
   * The turns Ollama's template sees: the Modelfile's messages, then the request's, behind the
   * Modelfile's system prompt unless the request starts with its own (Ollama's chat rule).
   */
  private List<ChatTemplates.Turn> turns(CompletionRequest request, List<String> why) {
    List<ChatTemplates.Turn> turns = new ArrayList<>();
    List<ChatMessage> messages = request.messages();
    boolean ownSystem = !messages.isEmpty() && messages.get(0).role() == Role.SYSTEM;
    if (!ownSystem && system != null && !system.isEmpty()) {
      add(turns, new ChatTemplates.Turn(Message.SYSTEM, system));
    }
    for (Message m : modelMessages) {
      add(turns, new ChatTemplates.Turn(m.role(), m.content() == null ? "" : m.content()));
    }
    boolean images = false;
    boolean tools = false;
    boolean thinking = false;
    for (ChatMessage m : messages) {
      StringBuilder content = new StringBuilder(m.content());
      for (ToolCall c : m.toolCalls()) {
        content.append(c.name()).append(' ').append(c.arguments());
        tools = true;
      }
      tools |= m.role() == Role.TOOL;
      images |= !m.images().isEmpty();
      thinking |= m.thinking() != null && !m.thinking().isEmpty() && templateRendersThinking;
      add(turns, new ChatTemplates.Turn(m.role().wireName(), content.toString()));
    }
    if (images) {
      why.add("images not counted");
    }
    if (tools) {
      why.add("tool calls and results counted as text");
    }
    if (thinking) {
      why.add("thinking in the history not counted");
    }
    return turns;
  }

  /**
   * Adds {@code turn}, merged into the previous one when both have the same role (not tool), joined
   * by a blank line: Ollama collates messages so before its template sees them.
   */
  private static void add(List<ChatTemplates.Turn> turns, ChatTemplates.Turn turn) {
    int last = turns.size() - 1;
    if (last >= 0 && turns.get(last).role().equals(turn.role()) && !turn.role().equals("tool")) {
      ChatTemplates.Turn prev = turns.get(last);
      turns.set(
          last, new ChatTemplates.Turn(turn.role(), prev.content() + "\n\n" + turn.content()));
    } else {
      turns.add(turn);
    }
  }

  private long text(String s) {
    return tokenizer.encode(s, false).length;
  }

  // ---- model_info values as Jackson gives them: lists, numbers, booleans ----

  private static List<String> strings(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      out.add(o == null ? "" : o.toString());
    }
    return out;
  }

  private static int[] ints(Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i) instanceof Number n ? n.intValue() : OllamaVocabulary.NORMAL;
    }
    return out;
  }

  private static float[] floats(Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i) instanceof Number n ? n.floatValue() : 0f;
    }
    return out;
  }

  private static int intValue(Object value, int otherwise) {
    return value instanceof Number n ? n.intValue() : otherwise;
  }

  private static boolean boolValue(Object value, boolean otherwise) {
    return value instanceof Boolean b ? b : otherwise;
  }
}
