package core.llm.providers.ollama;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.regex.Pattern;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}): split by the pre-tokenizer, map each UTF-8
 * byte to GPT-2's printable stand-in character, then merge adjacent symbols lowest rank first. A
 * symbol left that is not in the vocabulary is dropped, as Ollama's runner drops it (byte-level
 * vocabularies hold every byte, so this happens only with a broken vocabulary).
 */
final class BytePairEncoding implements OllamaTokenizer {
  private final OllamaVocabulary vocab;
  private final List<Pattern> pre;

  BytePairEncoding(OllamaVocabulary vocab, List<Pattern> pre) {
    this.vocab = vocab;
    this.pre = pre;
  }

  @Override
  public int[] encode(String text, boolean addSpecial) {
    List<Integer> ids = new ArrayList<>();
    for (Fragment f : OllamaTokenizer.splitSpecials(text, vocab)) {
      if (f.special()) {
        ids.add(f.id());
        continue;
      }
      for (String word : PreTokenizers.split(f.text(), pre)) {
        encodeWord(byteLevel(word), ids);
      }
    }
    int[] out = ids.stream().mapToInt(Integer::intValue).toArray();
    return addSpecial ? vocab.addSpecials(out) : out;
  }

  /** GPT-2's byte-to-character table: printable bytes stay, the others move above U+00FF. */
  static String byteLevel(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte x : bytes) {
      int b = x & 0xff;
      if (b == 0xad) {
        b = 0x143;
      } else if (b <= 0x20) {
        b += 0x100;
      } else if (b >= 0x7f && b <= 0xa0) {
        b += 0xa2;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  private record Candidate(int left, int right, int rank, String value) {}

  private void encodeWord(String word, List<Integer> ids) {
    int whole = vocab.id(word);
    if (whole >= 0) {
      ids.add(whole);
      return;
    }
    // every stand-in character is in the BMP, so one char is one symbol
    int n = word.length();
    String[] symbols = new String[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      symbols[i] = String.valueOf(word.charAt(i));
      prev[i] = i - 1;
      next[i] = i + 1;
    }
    // lowest rank first; equal ranks leftmost first, as the reference BPE merges
    PriorityQueue<Candidate> queue =
        new PriorityQueue<>(
            (a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : a.left - b.left);
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, symbols, i, i + 1);
    }
    while (!queue.isEmpty()) {
      Candidate c = queue.poll();
      String l = symbols[c.left];
      String r = symbols[c.right];
      // stale: one side was merged into something else since this pair was queued
      if (l == null || r == null || !c.value.equals(l + r) || !vocab.contains(c.value)) {
        continue;
      }
      symbols[c.left] = c.value;
      symbols[c.right] = null;
      next[c.left] = next[c.right];
      if (next[c.right] < n) {
        prev[next[c.right]] = c.left;
      }
      if (prev[c.left] >= 0) {
        offer(queue, symbols, prev[c.left], c.left);
      }
      if (next[c.left] < n) {
        offer(queue, symbols, c.left, next[c.left]);
      }
    }
    for (String s : symbols) {
      if (s != null) {
        int id = vocab.id(s);
        if (id >= 0) {
          ids.add(id);
        }
      }
    }
  }

  private void offer(PriorityQueue<Candidate> queue, String[] symbols, int left, int right) {
    int rank = vocab.mergeRank(symbols[left], symbols[right]);
    if (rank >= 0) {
      queue.add(new Candidate(left, right, rank, symbols[left] + symbols[right]));
    }
  }
}
