package core.llm.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The signature of a reply's thinking, which the API needs to accept that thinking back in a later
 * turn (required for the last assistant turn of a tool-use loop with thinking on). The neutral
 * message has one thinking text and one signature, so it is kept only when the reply had exactly
 * one thinking block and no redacted one; otherwise the thinking is not sent back, which the API
 * allows for all but that last turn.
 */
final class ThinkingSignature {
  private final StringBuilder value = new StringBuilder();
  private int thinkingBlocks;
  private boolean redacted;

  /** Counts a content block (from the reply or a {@code content_block_start}). */
  void block(JsonNode block) {
    switch (block.path("type").asText()) {
      case "thinking" -> thinkingBlocks++;
      case "redacted_thinking" -> redacted = true;
      default -> {
        // other blocks do not affect the signature
      }
    }
  }

  void append(String part) {
    value.append(part);
  }

  /** The signature to keep, or null. */
  String value() {
    return thinkingBlocks == 1 && !redacted && value.length() > 0 ? value.toString() : null;
  }
}
