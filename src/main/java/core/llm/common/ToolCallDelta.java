package core.llm.common;

/**
 * A piece of a tool call in a stream. Providers that stream arguments as JSON text (OpenAI,
 * Anthropic) send fragments under one {@code index}; Ollama sends each call whole.
 *
 * @param index position of the call in the reply
 * @param id the call's id, on the first fragment
 * @param name the function name, on the first fragment
 * @param argumentsFragment a piece of the arguments' JSON text
 */
public record ToolCallDelta(int index, String id, String name, String argumentsFragment) {}
