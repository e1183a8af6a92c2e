package core.llm.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.BadRequestException;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.ErrorContext;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.ResponseFormat;
import core.llm.common.Role;
import core.llm.common.Thinking;
import core.llm.common.ToolCall;
import core.llm.common.ToolDefinition;
import core.llm.providers.ollama.models.ChatRequest;
import core.llm.providers.ollama.models.Format;
import core.llm.providers.ollama.models.GenerateRequest;
import core.llm.providers.ollama.models.KeepAlive;
import core.llm.providers.ollama.models.Message;
import core.llm.providers.ollama.models.MessageToolCall;
import core.llm.providers.ollama.models.Options;
import core.llm.providers.ollama.models.Think;
import core.llm.providers.ollama.models.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ollama's request records → the provider-neutral request. What has a neutral field goes there;
 * Ollama's other options and request fields ({@code num_ctx}, {@code top_k}, {@code keep_alive},
 * ...) travel as provider options under their wire names, which the Ollama provider sends as they
 * came. What would change the answer and has no neutral form ({@code raw}, {@code suffix}, {@code
 * template}, {@code context}) is refused, never dropped.
 */
final class OllamaApiRequests {
  private OllamaApiRequests() {}

  static CompletionRequest chat(ChatRequest r) {
    requireModel(r.model());
    CompletionRequest.Builder b = CompletionRequest.builder(r.model());
    if (r.messages() != null) {
      r.messages().forEach(m -> b.message(message(m)));
    }
    if (r.tools() != null) {
      r.tools().forEach(t -> b.tool(tool(t)));
    }
    b.options(
        options(
            r.options(), r.keepAlive(), r.truncate(), r.shift(), r.logprobs(), r.topLogprobs()));
    b.responseFormat(format(r.format()));
    b.think(think(r.think()));
    return b.build();
  }

  static CompletionRequest generate(GenerateRequest r) {
    requireModel(r.model());
    refuse(Boolean.TRUE.equals(r.raw()), "raw");
    refuse(r.suffix() != null && !r.suffix().isEmpty(), "suffix");
    refuse(r.template() != null && !r.template().isEmpty(), "template");
    refuse(r.context() != null && !r.context().isEmpty(), "context");
    CompletionRequest.Builder b = CompletionRequest.builder(r.model());
    if (r.system() != null && !r.system().isEmpty()) {
      b.system(r.system());
    }
    List<ImageData> images = images(r.images());
    b.message(ChatMessage.user(r.prompt() == null ? "" : r.prompt(), images));
    b.options(
        options(
            r.options(), r.keepAlive(), r.truncate(), r.shift(), r.logprobs(), r.topLogprobs()));
    b.responseFormat(format(r.format()));
    b.think(think(r.think()));
    return b.build();
  }

  private static void requireModel(String model) {
    if (model == null || model.isBlank()) {
      throw new BadRequestException("model is required", ErrorContext.NONE);
    }
  }

  private static void refuse(boolean present, String field) {
    if (present) {
      throw new BadRequestException(
          "the gateway does not support '"
              + field
              + "' on /api/generate: it routes through the provider-neutral chat, which has no"
              + " such field; call the Ollama host directly for it",
          ErrorContext.NONE);
    }
  }

  private static ChatMessage message(Message m) {
    Role role;
    try {
      role = Role.valueOf(m.role() == null ? "" : m.role().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "unknown message role '" + m.role() + "' (expected system, user, assistant or tool)",
          ErrorContext.NONE);
    }
    List<ToolCall> calls = new ArrayList<>();
    if (m.toolCalls() != null) {
      for (MessageToolCall c : m.toolCalls()) {
        if (c.function() != null) {
          calls.add(new ToolCall(c.id(), c.function().name(), c.function().arguments()));
        }
      }
    }
    return new ChatMessage(
        role,
        m.content(),
        m.thinking(),
        null,
        images(m.images()),
        calls,
        m.toolCallId(),
        m.toolName());
  }

  private static List<ImageData> images(List<String> images) {
    if (images == null) {
      return List.of();
    }
    List<ImageData> out = new ArrayList<>();
    for (String image : images) {
      out.add(ImageData.of(image));
    }
    return out;
  }

  private static ToolDefinition tool(Tool t) {
    if (t.function() == null || t.function().name() == null) {
      throw new BadRequestException("a tool needs a function with a name", ErrorContext.NONE);
    }
    JsonNode parameters =
        t.function().parameters() == null
            ? Bodies.JSON.createObjectNode().put("type", "object")
            : Bodies.JSON.valueToTree(t.function().parameters());
    return new ToolDefinition(t.function().name(), t.function().description(), parameters);
  }

  /**
   * Neutral options where they exist; every other option, and the request fields the Ollama
   * provider takes as provider options, under its wire name.
   */
  @SuppressWarnings("unchecked")
  private static GenerationOptions options(
      Options o,
      KeepAlive keepAlive,
      Boolean truncate,
      Boolean shift,
      Boolean logprobs,
      Integer topLogprobs) {
    GenerationOptions.Builder b = GenerationOptions.builder();
    if (o != null) {
      Map<String, Object> wire = Bodies.JSON.convertValue(o, LinkedHashMap.class);
      wire.values().removeIf(v -> v == null);
      Object temperature = wire.remove("temperature");
      if (temperature instanceof Number n) {
        b.temperature(n.doubleValue());
      }
      Object numPredict = wire.remove("num_predict");
      if (numPredict instanceof Number n) {
        b.maxTokens(n.intValue());
      }
      Object topP = wire.remove("top_p");
      if (topP instanceof Number n) {
        b.topP(n.doubleValue());
      }
      Object seed = wire.remove("seed");
      if (seed instanceof Number n) {
        b.seed(n.longValue());
      }
      Object stop = wire.remove("stop");
      if (stop instanceof List<?> l) {
        b.stop((List<String>) l);
      }
      wire.forEach(b::providerOption);
    }
    if (keepAlive != null) {
      b.providerOption("keep_alive", Bodies.JSON.convertValue(keepAlive, Object.class));
    }
    if (truncate != null) {
      b.providerOption("truncate", truncate);
    }
    if (shift != null) {
      b.providerOption("shift", shift);
    }
    if (logprobs != null) {
      b.providerOption("logprobs", logprobs);
    }
    if (topLogprobs != null) {
      b.providerOption("top_logprobs", topLogprobs);
    }
    return b.build();
  }

  private static ResponseFormat format(Format f) {
    if (f == null) {
      return null;
    }
    if (f instanceof Format.Schema s) {
      return ResponseFormat.schema(null, s.node());
    }
    if (f instanceof Format.Text t && t.value().equals("json")) {
      return ResponseFormat.json();
    }
    if (f instanceof Format.Text t && t.value().isEmpty()) {
      return null;
    }
    throw new BadRequestException(
        "format must be \"json\" or a JSON schema, not " + f, ErrorContext.NONE);
  }

  private static Thinking think(Think t) {
    if (t == null) {
      return null;
    }
    if (t instanceof Think.Enabled e) {
      return Thinking.of(e.value());
    }
    try {
      return Thinking.level(((Think.Level) t).value());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage(), ErrorContext.NONE);
    }
  }
}
