package core.llm.providers.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.TokenCount;
import core.llm.common.ToolCall;
import java.util.Locale;
import java.util.Optional;

/**
 * Exact counts for OpenAI's own chat models with their encodings (jtokkit, optional): {@code
 * o200k_base} for gpt-4o, gpt-4.1, gpt-5 and the o-series, {@code cl100k_base} for gpt-4 and
 * gpt-3.5; each message costs 3 tokens of framing and the reply's priming 3 more, as OpenAI counts
 * them. Other models (a vLLM or llama.cpp server's) have other tokenizers: no count here.
 */
final class OpenAiTokens {
  private static final boolean AVAILABLE = available();
  private static volatile EncodingRegistry registry;

  private OpenAiTokens() {}

  private static boolean available() {
    try {
      Class.forName("com.knuddels.jtokkit.Encodings", false, OpenAiTokens.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The exact count, or empty when the model is not OpenAI's or jtokkit is absent. */
  static Optional<TokenCount> count(CompletionRequest request) {
    if (!AVAILABLE) {
      return Optional.empty();
    }
    return Counter.count(request);
  }

  /** Holds the jtokkit references, so the outer class loads without jtokkit. */
  private static final class Counter {
    static Optional<TokenCount> count(CompletionRequest request) {
      EncodingType type = encodingFor(request.model());
      if (type == null) {
        return Optional.empty();
      }
      EncodingRegistry r = registry;
      if (r == null) {
        r = Encodings.newLazyEncodingRegistry();
        registry = r;
      }
      Encoding enc = r.getEncoding(type);
      long tokens = 3; // the reply's priming
      for (ChatMessage m : request.messages()) {
        tokens += 3;
        tokens += count(enc, m.content());
        for (ToolCall c : m.toolCalls()) {
          tokens += count(enc, c.name()) + count(enc, String.valueOf(c.arguments()));
        }
      }
      boolean exact = request.tools().isEmpty(); // tool definitions are framed in ways not public
      for (var t : request.tools()) {
        tokens += count(enc, t.name()) + count(enc, t.description());
        tokens += count(enc, t.parameters() == null ? null : t.parameters().toString());
      }
      return Optional.of(
          new TokenCount(
              (int) Math.min(Integer.MAX_VALUE, tokens),
              exact,
              type.getName() + (exact ? "" : " (tool definitions estimated)")));
    }

    private static int count(Encoding enc, String text) {
      return text == null || text.isEmpty() ? 0 : enc.countTokensOrdinary(text);
    }

    private static EncodingType encodingFor(String model) {
      String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
      if (m.startsWith("gpt-4o")
          || m.startsWith("gpt-4.1")
          || m.startsWith("gpt-4.5")
          || m.startsWith("gpt-5")
          || m.matches("^o[134](-.*)?$")
          || m.startsWith("chatgpt-4o")) {
        return EncodingType.O200K_BASE;
      }
      if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5")) {
        return EncodingType.CL100K_BASE;
      }
      return null;
    }
  }
}
