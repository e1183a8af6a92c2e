package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WordWrapTest {
  private static String wrapped(int columns, String... chunks) {
    WordWrap w = new WordWrap(columns);
    StringBuilder out = new StringBuilder();
    for (String c : chunks) {
      out.append(w.feed(c));
    }
    return out.append(w.finish()).toString();
  }

  @Test
  void aWordThatWouldCrossTheEdgeStartsTheNextLine() {
    // 20 columns: at most 19 per line, and "answering" does not fit after "The sky is blue when"
    String text = wrapped(20, "The sky is bl", "ue when answ", "ering questions.");
    for (String line : text.split("\n")) {
      assertTrue(line.length() <= 19, "'" + line + "' in\n" + text);
    }
    assertEquals("The sky is blue\nwhen answering\nquestions.", text);
  }

  @Test
  void newlinesOfTheModelAreKeptAndRestartTheCount() {
    assertEquals("one two\nthree four", wrapped(80, "one two\nthree", " four"));
  }

  @Test
  void aWordLongerThanALineIsPrintedWhole() {
    String longWord = "x".repeat(30);
    assertEquals("ab\n" + longWord, wrapped(20, "ab " + longWord));
  }

  @Test
  void nothingIsLostAcrossChunks() {
    String text = "a bb ccc dddd eeeee ffffff ggggggg hhhhhhhh iiiiiiiii";
    String out = wrapped(16, text.substring(0, 7), text.substring(7, 30), text.substring(30));
    assertEquals(text, out.replace('\n', ' '));
  }
}
