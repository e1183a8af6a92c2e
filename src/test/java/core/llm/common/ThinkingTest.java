package core.llm.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThinkingTest {

  @Test
  void theRequestCarriesATypeNotAString() throws Exception {
    assertEquals(Thinking.class, CompletionRequest.class.getMethod("think").getReturnType());
    assertTrue(Thinking.class.isSealed());
    assertEquals(
        List.of(
            Thinking.Off.class, Thinking.On.class, Thinking.Effort.class, Thinking.Budget.class),
        List.of(Thinking.class.getPermittedSubclasses()));
  }

  @Test
  void builderShortcuts() {
    assertEquals(Thinking.ON, CompletionRequest.builder("m").think(true).build().think());
    assertEquals(Thinking.OFF, CompletionRequest.builder("m").think(false).build().think());
    assertEquals(
        new Thinking.Effort(Thinking.Level.HIGH),
        CompletionRequest.builder("m").think(Thinking.level("high")).build().think());
    assertNull(CompletionRequest.builder("m").build().think());
    // withModel and withResponseFormat keep it
    assertEquals(
        Thinking.budget(3000),
        CompletionRequest.builder("m")
            .think(Thinking.budget(3000))
            .build()
            .withModel("n")
            .withResponseFormat(null)
            .think());
  }

  @Test
  void parseReadsWhatUsersType() {
    assertEquals(Thinking.ON, Thinking.parse("true"));
    assertEquals(Thinking.ON, Thinking.parse("On"));
    assertEquals(Thinking.OFF, Thinking.parse("FALSE"));
    assertEquals(Thinking.OFF, Thinking.parse("none"));
    assertEquals(Thinking.level(Thinking.Level.MEDIUM), Thinking.parse(" medium "));
    assertEquals(Thinking.level(Thinking.Level.MAX), Thinking.parse("MAX"));
    assertEquals(new Thinking.Budget(2048), Thinking.parse("2048"));
    for (Thinking t :
        List.of(Thinking.ON, Thinking.OFF, Thinking.level("low"), Thinking.budget(1024))) {
      assertEquals(t, Thinking.parse(t.toString()), t.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"extreme", "", "-5", "0", "1.5", "99999999999"})
  void parseRefusesTheRest(String text) {
    assertThrows(IllegalArgumentException.class, () -> Thinking.parse(text));
  }

  @Test
  void levelsAndBudgets() {
    assertEquals("high", Thinking.level("HIGH").toString());
    assertThrows(IllegalArgumentException.class, () -> Thinking.level("bogus"));
    assertThrows(IllegalArgumentException.class, () -> Thinking.budget(0));
    assertInstanceOf(Thinking.Effort.class, Thinking.level("low"));
    assertFalse(Thinking.OFF.isEnabled());
    assertTrue(Thinking.budget(5).isEnabled());
  }
}
