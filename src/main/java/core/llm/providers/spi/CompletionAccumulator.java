package core.llm.providers.spi;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionDelta;
import core.llm.common.CompletionResult;
import core.llm.common.ErrorContext;
import core.llm.common.FinishReason;
import core.llm.common.InvalidResponseException;
import core.llm.common.Role;
import core.llm.common.ToolCall;
import core.llm.common.ToolCallDelta;
import core.llm.common.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds provider-neutral {@link CompletionDelta}s into a {@link CompletionResult}: joins content
 * and thinking, and assembles tool calls from fragments that share an {@code index} (OpenAI and
 * Anthropic stream the arguments as pieces of JSON text; Ollama sends each call whole).
 *
 * <p>Any provider whose stream yields {@code CompletionDelta} can use it. Decoders should call
 * {@link #toolCalls()} before completing their sink: it parses the arguments and throws an {@link
 * InvalidResponseException} quoting them when they are not a JSON object, so the decoder can fail
 * the stream instead of completing it with a broken result.
 */
public final class CompletionAccumulator
    implements StreamAggregator<CompletionDelta, CompletionResult> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final String provider;
  private final ErrorContext errorContext;
  private final StringBuilder content = new StringBuilder();
  private final StringBuilder thinking = new StringBuilder();
  private final TreeMap<Integer, Partial> calls = new TreeMap<>();
  private String model;
  private FinishReason finishReason;
  private Usage usage;
  private List<ToolCall> parsedCalls;

  /**
   * @param provider provider name put in the result
   * @param model the requested model, used unless the stream names the one that answered
   * @param errorContext provider and endpoint, for the error raised on malformed arguments
   */
  public CompletionAccumulator(String provider, String model, ErrorContext errorContext) {
    this.provider = provider;
    this.model = model;
    this.errorContext = errorContext;
  }

  /** The model the server says answered (it may differ from the requested alias). */
  public void model(String answered) {
    if (answered != null && !answered.isBlank()) {
      model = answered;
    }
  }

  @Override
  public void accept(CompletionDelta delta) {
    content.append(delta.content());
    thinking.append(delta.thinking());
    for (ToolCallDelta d : delta.toolCalls()) {
      Partial p = calls.computeIfAbsent(d.index(), i -> new Partial());
      if (d.id() != null && !d.id().isEmpty() && p.id == null) {
        p.id = d.id();
      }
      if (d.name() != null && !d.name().isEmpty() && p.name == null) {
        p.name = d.name();
      }
      if (d.argumentsFragment() != null) {
        p.arguments.append(d.argumentsFragment());
      }
      parsedCalls = null;
    }
    if (delta.finishReason() != null) {
      finishReason = delta.finishReason();
    }
    if (delta.usage() != null) {
      usage = delta.usage();
    }
  }

  /** The tool calls so far, arguments parsed; throws InvalidResponseException on malformed JSON. */
  public List<ToolCall> toolCalls() {
    if (parsedCalls == null) {
      List<ToolCall> out = new ArrayList<>(calls.size());
      for (Partial p : calls.values()) {
        String name = p.name == null ? "" : p.name;
        out.add(
            new ToolCall(p.id, name, parseArguments(p.arguments.toString(), name, errorContext)));
      }
      parsedCalls = List.copyOf(out);
    }
    return parsedCalls;
  }

  @Override
  public CompletionResult result() {
    List<ToolCall> toolCalls = toolCalls();
    FinishReason finish =
        finishReason != null
            ? finishReason
            : toolCalls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    String reasoning = thinking.length() == 0 ? null : thinking.toString();
    ChatMessage message =
        new ChatMessage(
            Role.ASSISTANT, content.toString(), reasoning, null, null, toolCalls, null, null);
    return new CompletionResult(
        provider, model, message, finish, usage == null ? Usage.UNKNOWN : usage);
  }

  /**
   * Parses tool-call arguments sent as JSON text. Empty text means no arguments; anything that is
   * not a JSON object fails with an {@link InvalidResponseException} quoting the text, because a
   * silently empty map would make the tool run with the wrong input.
   */
  public static Map<String, Object> parseArguments(
      String json, String toolName, ErrorContext context) {
    String text = json == null ? "" : json.trim();
    if (text.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, Object> map = JSON.readValue(text, MAP);
      if (map == null) {
        throw new IllegalArgumentException("null is not an object");
      }
      return map;
    } catch (Exception e) {
      String quoted = text.length() > 300 ? text.substring(0, 300) + "..." : text;
      throw new InvalidResponseException(
          "The arguments of the call to tool '"
              + toolName
              + "' are not a JSON object: \""
              + quoted
              + "\" ("
              + e.getMessage().lines().findFirst().orElse("")
              + ")",
          context,
          e);
    }
  }

  private static final class Partial {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }
}
