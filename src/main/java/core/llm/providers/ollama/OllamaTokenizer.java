package core.llm.providers.ollama;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a model's token ids the way Ollama's runner does, so a count made here is the
 * {@code prompt_eval_count} the server would report for the same prompt.
 */
interface OllamaTokenizer {

  /**
   * The ids of {@code text}; special pieces written in the text ({@code <|im_start|>}) are one
   * token each. With {@code addSpecial} the vocabulary's BOS/EOS are added as the model asks.
   */
  int[] encode(String text, boolean addSpecial);

  /** A run of text: either a special piece already resolved to its id, or plain text to encode. */
  record Fragment(String text, int id) {
    boolean special() {
      return id >= 0;
    }
  }

  /**
   * Splits {@code text} around every occurrence of the vocabulary's special pieces, trying them in
   * id order so that, where two overlap, the one with the lower id wins (Ollama's rule).
   */
  static List<Fragment> splitSpecials(String text, OllamaVocabulary vocab) {
    List<Fragment> fragments = new ArrayList<>();
    fragments.add(new Fragment(text, -1));
    for (String special : vocab.specials()) {
      int id = vocab.id(special);
      List<Fragment> next = null;
      for (int i = 0; i < fragments.size(); i++) {
        Fragment f = fragments.get(i);
        int at = f.special() ? -1 : f.text().indexOf(special);
        if (at < 0) {
          if (next != null) {
            next.add(f);
          }
          continue;
        }
        if (next == null) {
          next = new ArrayList<>(fragments.subList(0, i));
        }
        String rest = f.text();
        while (at >= 0) {
          if (at > 0) {
            next.add(new Fragment(rest.substring(0, at), -1));
          }
          next.add(new Fragment(special, id));
          rest = rest.substring(at + special.length());
          at = rest.indexOf(special);
        }
        if (!rest.isEmpty()) {
          next.add(new Fragment(rest, -1));
        }
      }
      if (next != null) {
        fragments = next;
      }
    }
    return fragments;
  }
}
