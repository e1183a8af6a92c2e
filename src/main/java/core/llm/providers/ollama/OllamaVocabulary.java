package core.llm.providers.ollama;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's vocabulary as GGUF stores it ({@code tokenizer.ggml.*} in {@code /api/show}'s verbose
 * {@code model_info}): the pieces by id, their types and scores, the BPE merges by rank, and the
 * special tokens a prompt may contain verbatim. Immutable once built; built off the event loop
 * because a real vocabulary is 100k+ entries.
 */
final class OllamaVocabulary {
  /** GGUF token types (llama.cpp's {@code llama_token_type}). */
  static final int NORMAL = 1;

  static final int CONTROL = 3;
  static final int USER_DEFINED = 4;

  private final Map<String, Integer> ids;
  private final float[] scores;
  private final Map<String, Integer> mergeRanks;
  private final List<String> specials;
  private final int bos;
  private final boolean addBos;
  private final int eos;
  private final boolean addEos;

  /**
   * @param types per piece, null when the model has none (then nothing is special)
   * @param scores per piece, null for merge-based vocabularies
   * @param merges {@code "left right"} in rank order, null for score-based vocabularies
   * @param bos the BOS id, or -1
   * @param eos the EOS id, or -1
   */
  OllamaVocabulary(
      List<String> pieces,
      int[] types,
      float[] scores,
      List<String> merges,
      int bos,
      boolean addBos,
      int eos,
      boolean addEos) {
    this.ids = new HashMap<>(pieces.size() * 2);
    for (int i = 0; i < pieces.size(); i++) {
      // the first id wins for a duplicated piece, where a plain put would keep the last
      ids.putIfAbsent(pieces.get(i), i);
    }
    this.scores = scores;
    this.mergeRanks = new HashMap<>(merges == null ? 0 : merges.size() * 2);
    if (merges != null) {
      for (int i = 0; i < merges.size(); i++) {
        mergeRanks.putIfAbsent(merges.get(i), i);
      }
    }
    // control and user-defined pieces are matched whole in the text, in id order (as Ollama does)
    List<String> special = new ArrayList<>();
    if (types != null) {
      for (int i = 0; i < pieces.size() && i < types.length; i++) {
        if ((types[i] == CONTROL || types[i] == USER_DEFINED) && !pieces.get(i).isEmpty()) {
          special.add(pieces.get(i));
        }
      }
    }
    this.specials = List.copyOf(special);
    this.bos = bos;
    this.addBos = addBos;
    this.eos = eos;
    this.addEos = addEos;
  }

  /** The id of {@code piece}, or -1. */
  int id(String piece) {
    Integer id = ids.get(piece);
    return id == null ? -1 : id;
  }

  boolean contains(String piece) {
    return ids.containsKey(piece);
  }

  float score(int id) {
    return scores == null || id >= scores.length ? 0f : scores[id];
  }

  /** The rank of merging {@code left} with {@code right}, or -1 when there is no such merge. */
  int mergeRank(String left, String right) {
    Integer rank = mergeRanks.get(left + " " + right);
    return rank == null ? -1 : rank;
  }

  /** The control and user-defined pieces, in id order. */
  List<String> specials() {
    return specials;
  }

  /** The ids the tokenizer adds around a prompt: BOS first when add_bos, EOS last when add_eos. */
  int[] addSpecials(int[] ids) {
    boolean withBos = addBos && bos >= 0;
    boolean withEos = addEos && eos >= 0;
    int[] out = new int[ids.length + (withBos ? 1 : 0) + (withEos ? 1 : 0)];
    int at = 0;
    if (withBos) {
      out[at++] = bos;
    }
    System.arraycopy(ids, 0, out, at, ids.length);
    if (withEos) {
      out[out.length - 1] = eos;
    }
    return out;
  }
}
