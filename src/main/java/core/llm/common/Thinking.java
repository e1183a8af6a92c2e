package core.llm.common;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether and how hard the model reasons before it answers, for any provider.
 *
 * <ul>
 *   <li>{@link Off}: no thinking. Ollama {@code think:false}; Anthropic sends no {@code thinking};
 *       OpenAI sends nothing (the server's default).
 *   <li>{@link On}: thinking at the provider's default effort. Ollama {@code think:true}; Anthropic
 *       a budget of 4096 tokens; OpenAI sends nothing.
 *   <li>{@link Effort}: a level. Ollama {@code think:"high"}; OpenAI {@code reasoning_effort}
 *       ({@code max} becomes {@code high}); Anthropic a budget of 1024 (low), 4096 (medium), 16384
 *       (high) or 32768 (max) tokens.
 *   <li>{@link Budget}: a number of thinking tokens. Anthropic {@code budget_tokens} (at least
 *       1024); Ollama refuses it as a bad request; OpenAI sends nothing.
 * </ul>
 *
 * <p>The variants are records; match them with {@code instanceof} (or a pattern {@code switch} on
 * Java 21). A variant's {@code toString()} is the word {@link #parse(String)} reads back.
 */
public sealed interface Thinking
    permits Thinking.Off, Thinking.On, Thinking.Effort, Thinking.Budget {

  Thinking OFF = new Off();
  Thinking ON = new On();

  /** An effort level, from least to most. */
  enum Level {
    LOW,
    MEDIUM,
    HIGH,
    MAX;

    /** The lower-case name the wire formats use ({@code "high"}). */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** No thinking. */
  record Off() implements Thinking {
    @Override
    public String toString() {
      return "false";
    }
  }

  /** Thinking at the provider's default effort. */
  record On() implements Thinking {
    @Override
    public String toString() {
      return "true";
    }
  }

  /** Thinking at an effort level. */
  record Effort(Level level) implements Thinking {
    public Effort {
      Objects.requireNonNull(level, "level");
    }

    @Override
    public String toString() {
      return level.wireName();
    }
  }

  /** Thinking with a budget of tokens (Anthropic's {@code budget_tokens}). */
  record Budget(int tokens) implements Thinking {
    public Budget {
      if (tokens <= 0) {
        throw new IllegalArgumentException("a thinking budget must be positive, got " + tokens);
      }
    }

    @Override
    public String toString() {
      return Integer.toString(tokens);
    }
  }

  static Thinking of(boolean enabled) {
    return enabled ? ON : OFF;
  }

  static Thinking level(Level level) {
    return new Effort(level);
  }

  /** {@code "low"}, {@code "medium"}, {@code "high"} or {@code "max"}, in any case. */
  static Thinking level(String level) {
    Objects.requireNonNull(level, "level");
    try {
      return new Effort(Level.valueOf(level.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown thinking level '" + level + "' (expected low, medium, high or max)");
    }
  }

  static Thinking budget(int tokens) {
    return new Budget(tokens);
  }

  /**
   * Reads the forms a user types ({@code --think=...}, a config value): {@code true}/{@code on},
   * {@code false}/{@code off}/{@code none}, a level, or a positive number of tokens.
   */
  static Thinking parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "true", "on" -> {
        return ON;
      }
      case "false", "off", "none" -> {
        return OFF;
      }
      default -> {
        if (t.matches("\\d{1,9}")) {
          return budget(Integer.parseInt(t));
        }
        try {
          return level(t);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "unknown think value '"
                  + text
                  + "' (expected true, false, low, medium, high, max or a token budget)");
        }
      }
    }
  }

  /** False only for {@link Off}. */
  default boolean isEnabled() {
    return !(this instanceof Off);
  }
}
