package core.llm.providers.ollama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The two BPE tokenizers on small hand-built vocabularies, each expected id derived by hand from
 * the merge ranks or scores written next to it.
 */
class OllamaTokenizerTest {

  // ---- byte-level BPE (gpt2): Ġ stands for the space byte, Ã© for é's two bytes ----

  private static final List<String> GPT2_PIECES =
      List.of(
          "h",
          "e",
          "l",
          "o",
          "Ġ",
          "w",
          "r",
          "d", // 0-7
          "he",
          "ll",
          "hell",
          "hello",
          "Ġw",
          "or",
          "Ġwor", // 8-14
          "a",
          "b",
          "c",
          "ab",
          "bc", // 15-19
          "Ã",
          "©",
          "Ã©", // 20-22
          "<|im_start|>",
          "<|im_end|>",
          "<|begin|>"); // 23-25

  private static final List<String> GPT2_MERGES =
      List.of(
          "h e", // 0
          "l l", // 1
          "he ll", // 2
          "hell o", // 3
          "Ġ w", // 4
          "o r", // 5
          "Ġw or", // 6
          "b c", // 7: ranks below "a b", so "abc" is a + bc, not ab + c
          "a b", // 8
          "Ã ©"); // 9

  private static int[] types(int n, int... control) {
    int[] t = new int[n];
    Arrays.fill(t, OllamaVocabulary.NORMAL);
    for (int c : control) {
      t[c] = OllamaVocabulary.CONTROL;
    }
    return t;
  }

  private static BytePairEncoding gpt2(boolean addBos) {
    OllamaVocabulary v =
        new OllamaVocabulary(
            GPT2_PIECES,
            types(GPT2_PIECES.size(), 23, 24, 25),
            null,
            GPT2_MERGES,
            25,
            addBos,
            24,
            false);
    return new BytePairEncoding(v, PreTokenizers.named("default").orElseThrow());
  }

  @Test
  void wholeWordsAreOneTokenAndOthersMergeByRank() {
    // "hello" is a piece; " world" -> Ġ w o r l d: Ġw (4), or (5), Ġw+or (6); l, d stay
    assertArrayEquals(new int[] {11, 14, 2, 7}, gpt2(false).encode("hello world", false));
  }

  @Test
  void equalRanksMergeLeftmostFirstAndLaterRanksBuildOnThem() {
    // h e l l o h e: he@0 and he@5 (rank 0), ll (1), he+ll (2), hell+o (3) -> hello, he
    assertArrayEquals(new int[] {11, 8}, gpt2(false).encode("hellohe", false));
  }

  @Test
  void lowerRankWinsOverLeftToRight() {
    // b c (rank 7) before a b (rank 8): a, bc; a left-to-right merge would give ab, c
    assertArrayEquals(new int[] {15, 19}, gpt2(false).encode("abc", false));
  }

  @Test
  void specialPiecesInTheTextAreSingleTokens() {
    assertArrayEquals(
        new int[] {23, 11, 24, 23},
        gpt2(false).encode("<|im_start|>hello<|im_end|><|im_start|>", false));
  }

  @Test
  void multiByteCharactersAreEncodedByTheirUtf8Bytes() {
    // é is C3 A9 -> Ã © -> merged (rank 9) into one token; two of them are one word, two tokens
    assertArrayEquals(new int[] {22, 22}, gpt2(false).encode("éé", false));
    // GPT-2's stand-ins for 😀 (F0 9F 98 80): ð, Ł (9F+A2), ĺ (98+A2), Ģ (80+A2)
    assertEquals("ðŁĺĢ", BytePairEncoding.byteLevel("😀"));
    assertEquals("ĠĊĉ", BytePairEncoding.byteLevel(" \n\t"));
  }

  @Test
  void bosIsAddedWhenTheModelAsks() {
    assertArrayEquals(new int[] {25, 11}, gpt2(true).encode("hello", true));
    assertArrayEquals(new int[] {11}, gpt2(true).encode("hello", false));
    assertArrayEquals(new int[] {11}, gpt2(false).encode("hello", true));
  }

  // ---- SentencePiece-style BPE (llama): ▁ for spaces, highest score first, byte fallback ----

  private static SentencePieceEncoding spm() {
    List<String> pieces = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    Object[][] entries = {
      {"<unk>", 0f, 2}, // 0
      {"<s>", 0f, OllamaVocabulary.CONTROL}, // 1
      {"</s>", 0f, OllamaVocabulary.CONTROL}, // 2
      {"<0x41>", 0f, 6}, // 3: 'A'
      {"<0xCE>", 0f, 6}, // 4
      {"<0xA9>", 0f, 6}, // 5: Ω is CE A9
      {"h", -100f, 1}, // 6
      {"e", -100f, 1}, // 7
      {"l", -100f, 1}, // 8
      {"o", -100f, 1}, // 9
      {"▁", -100f, 1}, // 10
      {"he", -1f, 1}, // 11
      {"ll", -2f, 1}, // 12
      {"lo", -0.5f, 1}, // 13: outscores he and ll
      {"▁hello", -3f, 1}, // 14
      {"é", -100f, 1}, // 15
    };
    for (Object[] e : entries) {
      pieces.add((String) e[0]);
      scores.add((Float) e[1]);
      types.add((Integer) e[2]);
    }
    float[] s = new float[scores.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = scores.get(i);
    }
    OllamaVocabulary v =
        new OllamaVocabulary(
            pieces, types.stream().mapToInt(i -> i).toArray(), s, null, 1, true, 2, false);
    return new SentencePieceEncoding(v);
  }

  @Test
  void highestScoreMergesFirst() {
    // h e l l o: lo (-0.5) first, then he (-1); ll (-2) is stale since its right l is in lo
    assertArrayEquals(new int[] {11, 8, 13}, spm().encode("hello", false));
  }

  @Test
  void spacesBecomeTheSentencePieceMarkerAndWholePiecesHitDirectly() {
    assertArrayEquals(new int[] {14}, spm().encode(" hello", false));
  }

  @Test
  void piecesNotInTheVocabularyFallBackToByteTokens() {
    assertArrayEquals(new int[] {6, 3}, spm().encode("hA", false)); // A -> <0x41>
    assertArrayEquals(new int[] {4, 5, 15}, spm().encode("Ωé", false)); // Ω -> CE A9; é a piece
  }

  @Test
  void sentencePieceSpecialsAndBos() {
    assertArrayEquals(new int[] {1, 1, 6, 2}, spm().encode("<s>h</s>", true));
  }

  // ---- pre-tokenizers ----

  @Test
  void llama3SplitsDigitsInThreesAndKeepsNewlinesWithPunctuation() {
    List<Pattern> llama = PreTokenizers.named("llama-bpe").orElseThrow();
    assertEquals(
        List.of("I", "'m", " ", "123", "45", " apples", "!!\n\n", " ", " ok"),
        PreTokenizers.split("I'm 12345 apples!!\n\n  ok", llama));
  }

  @Test
  void qwen2SplitsEveryDigitAndGpt2KeepsRuns() {
    assertEquals(
        List.of("a", " ", "1", "2", "3"),
        PreTokenizers.split("a 123", PreTokenizers.named("qwen2").orElseThrow()));
    assertEquals(
        List.of("I", "'m", " 123"),
        PreTokenizers.split("I'm 123", PreTokenizers.named("default").orElseThrow()));
  }

  @Test
  void whiteSpaceIsUnicodeWhiteSpace() {
    // NBSP is \s in the originals; with Java's ASCII \s it would be one punctuation word
    assertEquals(
        List.of("a", "\u00a0", "\u00a0", "b"),
        PreTokenizers.split("a\u00a0\u00a0b", PreTokenizers.named("default").orElseThrow()));
  }

  @Test
  void everyKnownPatternCompilesAndCoversItsInput() {
    String text = "Hello, WORLD's 2024 naïve 😀 tabs\t\tand\r\nlines  end ";
    for (String name :
        List.of("default", "llama-bpe", "llama3", "qwen2", "refact", "tekken", "gpt-4o")) {
      List<String> parts = PreTokenizers.split(text, PreTokenizers.named(name).orElseThrow());
      assertEquals(text, String.join("", parts), name + " loses no text");
      assertTrue(parts.size() > 5, name + " splits");
    }
    assertTrue(PreTokenizers.named("deepseek-v3").isEmpty());
  }
}
