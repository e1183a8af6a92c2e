package core.llm.providers.ollama;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE ({@code tokenizer.ggml.model = llama}): spaces become {@code ▁}, then
 * adjacent pieces merge while their concatenation is in the vocabulary, highest score first (ties
 * leftmost first); a piece left that is not in the vocabulary falls back to one {@code <0xHH>}
 * token per UTF-8 byte. No leading {@code ▁} is added, as Ollama's own SentencePiece tokenizer adds
 * none.
 */
final class SentencePieceEncoding implements OllamaTokenizer {
  private static final String SPACE = "\u2581";

  private final OllamaVocabulary vocab;

  SentencePieceEncoding(OllamaVocabulary vocab) {
    this.vocab = vocab;
  }

  @Override
  public int[] encode(String text, boolean addSpecial) {
    List<Integer> ids = new ArrayList<>();
    for (Fragment f : OllamaTokenizer.splitSpecials(text, vocab)) {
      if (f.special()) {
        ids.add(f.id());
      } else {
        encodeText(f.text().replace(" ", SPACE), ids);
      }
    }
    int[] out = ids.stream().mapToInt(Integer::intValue).toArray();
    return addSpecial ? vocab.addSpecials(out) : out;
  }

  private record Candidate(int left, int right, float score, String value) {}

  private void encodeText(String text, List<Integer> ids) {
    int whole = vocab.id(text);
    if (whole >= 0) {
      ids.add(whole);
      return;
    }
    // one symbol per code point, so a character outside the BMP is never cut in half
    int[] cps = text.codePoints().toArray();
    int n = cps.length;
    String[] symbols = new String[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      symbols[i] = new String(cps, i, 1);
      prev[i] = i - 1;
      next[i] = i + 1;
    }
    PriorityQueue<Candidate> queue =
        new PriorityQueue<>(
            (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : a.left - b.left);
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, symbols, i, i + 1);
    }
    while (!queue.isEmpty()) {
      Candidate c = queue.poll();
      String l = symbols[c.left];
      String r = symbols[c.right];
      if (l == null || r == null || !c.value.equals(l + r)) {
        continue; // stale: a side changed since this pair was queued
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
      if (s == null) {
        continue;
      }
      int id = vocab.id(s);
      if (id >= 0) {
        ids.add(id);
        continue;
      }
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        int byteId = vocab.id(String.format("<0x%02X>", b & 0xff));
        if (byteId >= 0) {
          ids.add(byteId); // a byte the vocabulary lacks is dropped, as Ollama drops it
        }
      }
    }
  }

  private void offer(PriorityQueue<Candidate> queue, String[] symbols, int left, int right) {
    String value = symbols[left] + symbols[right];
    int id = vocab.id(value);
    if (id >= 0) {
      queue.add(new Candidate(left, right, vocab.score(id), value));
    }
  }
}
