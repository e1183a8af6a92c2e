package core.llm.common;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation, provider-neutral.
 *
 * @param role who speaks
 * @param content the text ({@code ""} for an assistant turn that only calls tools)
 * @param thinking the model's reasoning, for assistant turns (kept when sent back in history)
 * @param thinkingSignature an opaque token the provider issued for {@code thinking} (Anthropic's
 *     signature), needed to send the thinking back: keep the message as the result gave it; null
 *     when the provider gives none
 * @param images attached images (user turns)
 * @param toolCalls calls the assistant asked for
 * @param toolCallId on a tool result: the id of the call it answers
 * @param toolName on a tool result: the function that ran
 */
public record ChatMessage(
    Role role,
    String content,
    String thinking,
    String thinkingSignature,
    List<ImageData> images,
    List<ToolCall> toolCalls,
    String toolCallId,
    String toolName) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
    images = images == null ? List.of() : List.copyOf(images);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(Role.SYSTEM, content, null, null, null, null, null, null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content, null, null, null, null, null, null);
  }

  public static ChatMessage user(String content, List<ImageData> images) {
    return new ChatMessage(Role.USER, content, null, null, images, null, null, null);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage(Role.ASSISTANT, content, null, null, null, null, null, null);
  }

  public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
    return new ChatMessage(Role.ASSISTANT, content, null, null, null, toolCalls, null, null);
  }

  /** The result of a tool call, answering the call with the given id. */
  public static ChatMessage toolResult(String toolCallId, String toolName, String content) {
    return new ChatMessage(Role.TOOL, content, null, null, null, null, toolCallId, toolName);
  }

  /**
   * An assistant turn with its reasoning and the provider's signature of it, as a result gives it.
   */
  public static ChatMessage assistant(
      String content, String thinking, String thinkingSignature, List<ToolCall> toolCalls) {
    return new ChatMessage(
        Role.ASSISTANT, content, thinking, thinkingSignature, null, toolCalls, null, null);
  }
}
