package core.llm.providers.ollama;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regular expressions that cut text into words before byte-level BPE, chosen by the GGUF's
 * {@code tokenizer.ggml.pre}, as Ollama's models choose them. Compiled with {@link
 * Pattern#UNICODE_CHARACTER_CLASS} so {@code \s} is Unicode white space as in the Hugging Face
 * tokenizers these patterns come from (Java's default {@code \s} is ASCII only); {@code \p{L}},
 * {@code \p{N}}, {@code (?i:...)} and {@code (?!\S)} mean the same in Java as in the originals.
 */
final class PreTokenizers {
  private PreTokenizers() {}

  /** GPT-2's split, used for {@code default}. */
  static final String GPT2 =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  /** Llama 3's split (digits in runs of at most three). */
  static final String LLAMA3 =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** Qwen 2's split (one digit a word). */
  static final String QWEN2 =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** Mistral's Tekken split. */
  static final String TEKKEN =
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
          + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
          + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** o200k-style split (gpt-oss, {@code gpt-4o}). */
  static final String GPT4O =
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
          + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
          + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
          + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
          + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /**
   * The patterns for a pre-tokenizer name, applied in order; empty when the name is not one this
   * library knows (the caller then splits like Llama 3, as Ollama does, and calls it an estimate).
   */
  static Optional<List<Pattern>> named(String pre) {
    List<String> patterns =
        switch (pre == null ? "" : pre) {
          case "default" -> List.of(GPT2);
          case "llama-bpe", "llama3" -> List.of(LLAMA3);
          case "qwen2" -> List.of(QWEN2);
          case "refact" -> List.of("\\p{N}", GPT2);
          case "tekken" -> List.of(TEKKEN);
          case "gpt-4o" -> List.of(GPT4O);
          default -> null;
        };
    return patterns == null ? Optional.empty() : Optional.of(compile(patterns));
  }

  /** Llama 3's split: what Ollama falls back to for a name it has no rule for. */
  static List<Pattern> fallback() {
    return compile(List.of(LLAMA3));
  }

  private static List<Pattern> compile(List<String> patterns) {
    return patterns.stream().map(p -> Pattern.compile(p, Pattern.UNICODE_CHARACTER_CLASS)).toList();
  }

  /**
   * Cuts {@code text} by each pattern in turn: every match is a word, and so is any text between
   * matches (none of these patterns leaves a gap, but a piece is never dropped).
   */
  static List<String> split(String text, List<Pattern> patterns) {
    List<String> parts = List.of(text);
    for (Pattern p : patterns) {
      List<String> next = new java.util.ArrayList<>();
      for (String part : parts) {
        Matcher m = p.matcher(part);
        int offset = 0;
        while (m.find()) {
          if (m.start() > offset) {
            next.add(part.substring(offset, m.start()));
          }
          if (m.end() > m.start()) {
            next.add(m.group());
          }
          offset = m.end();
        }
        if (offset < part.length()) {
          next.add(part.substring(offset));
        }
      }
      parts = next;
    }
    return parts;
  }
}
