package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up: only the command named is built (picocli's reflection over every command cost about a
 * third of a second per run), and everything that needs all of them still has them.
 */
class StartupCliTest {
  private final CliHarness h = new CliHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void onlyTheNamedCommandIsBuilt() {
    assertEquals(List.of(ModelCommands.ListModels.class), Llm.commandsFor(new String[] {"list"}));
    assertEquals(List.of(ModelCommands.ListModels.class), Llm.commandsFor(new String[] {"ls"}));
    assertEquals(
        List.of(ChatCommand.class),
        Llm.commandsFor(new String[] {"--provider", "ollama", "--debug", "run", "m"}));
    assertEquals(
        List.of(ModelCommands.Unload.class),
        Llm.commandsFor(new String[] {"--config=x.yaml", "stop", "m"}));
    assertEquals(Llm.COMMANDS, Llm.commandsFor(new String[] {"help", "chat"}));
    assertEquals(Llm.COMMANDS, Llm.commandsFor(new String[] {"--help"}));
    assertEquals(Llm.COMMANDS, Llm.commandsFor(new String[] {"lst"}));
  }

  @Test
  void helpAndSuggestionsStillSeeEveryCommand() {
    CliHarness.Result help = h.run("--help");
    assertEquals(0, help.exit());
    for (String name : List.of("chat", "generate", "pull", "list", "ps", "providers", "config")) {
      assertTrue(help.out().contains("  " + name), help.out());
    }
    CliHarness.Result helpChat = h.run("help", "chat");
    assertEquals(0, helpChat.exit(), helpChat.err());
    assertTrue(helpChat.out().contains("--verbose"), helpChat.out());
    CliHarness.Result listHelp = h.run("list", "--help");
    assertEquals(0, listHelp.exit(), listHelp.err());
    CliHarness.Result typo = h.run("lst");
    assertEquals(2, typo.exit());
    CliHarness.Result list = h.run("--debug", "ls");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("llama3.2"), list.out());
  }
}
