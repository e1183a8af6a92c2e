package core.llm.cli;

/**
 * Soft line breaks for an answer streamed to a terminal, as {@code ollama run} does: a word that
 * would cross the right edge starts the next line instead of being cut by the terminal. A word is
 * printed once it is complete (a space or newline follows) or at {@link #finish()}. Only for a
 * terminal: a pipe or file gets the text exactly as the model wrote it.
 */
final class WordWrap {
  private final int width;
  private final StringBuilder word = new StringBuilder();
  private int column;
  private int spaces;

  /** {@code columns}: the terminal's width; a line holds at most {@code columns - 1}. */
  WordWrap(int columns) {
    this.width = Math.max(10, columns - 1);
  }

  /** What to print now for {@code text}, complete words only. */
  String feed(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\n') {
        flushWord(out);
        spaces = 0; // spaces before a newline are not worth a line of their own
        out.append('\n');
        column = 0;
      } else if (ch == ' ') {
        flushWord(out);
        spaces++;
      } else {
        word.append(ch);
      }
    }
    return out.toString();
  }

  /** The word (and spaces) still held, at the end of the answer or before other text. */
  String finish() {
    StringBuilder out = new StringBuilder();
    flushWord(out);
    out.append(" ".repeat(spaces));
    column += spaces;
    spaces = 0;
    return out.toString();
  }

  /** Other text was printed that ended a line: count from the left edge again. */
  void atLineStart() {
    column = 0;
  }

  /** Prints the held spaces and word, or a line break and the word when it would not fit. */
  private void flushWord(StringBuilder out) {
    if (word.length() == 0) {
      return;
    }
    int len = word.codePointCount(0, word.length());
    if (column > 0 && column + spaces + len > width) {
      out.append('\n'); // the spaces that would end the line are dropped
      column = 0;
    } else {
      out.append(" ".repeat(spaces));
      column += spaces;
    }
    spaces = 0;
    out.append(word);
    column = len > width ? len % width : column + len; // a word longer than a line wraps by itself
    word.setLength(0);
  }
}
