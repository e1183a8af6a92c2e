package core.llm.providers.ollama;

import static core.llm.providers.ollama.ModelState.LOADED;
import static core.llm.providers.ollama.ModelState.LOADING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.ollama.models.ProcessModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cold load on a host that holds as many models as it ever has evicts one (Ollama makes room by
 * unloading an idle model): the tracker takes the idle model used least recently as gone until the
 * host says otherwise, so the router stops sending its requests to a host that no longer has it.
 */
class ModelTrackerEvictionTest {
  private final MutableClock clock = new MutableClock();
  private final ModelTracker tracker = new ModelTracker("http://h0", clock, null, null);

  private void ps(String... models) {
    List<ProcessModel> rows = new ArrayList<>();
    for (String m : models) {
      rows.add(new ProcessModel(m, m, 1L, 1L, null, null, null, 4096, null));
    }
    tracker.reconcile(rows, Duration.ofSeconds(2));
  }

  /** A request of this process for {@code model} that runs and is answered. */
  private void served(String model) {
    clock.advance(Duration.ofSeconds(1));
    tracker.touch(model);
    tracker.requestStarted(model);
    tracker.requestServed(model);
  }

  @Test
  void aColdLoadOnAFullHostTakesTheIdleModelUsedLeastRecentlyAsEvicted() {
    ps("a", "b", "c");
    served("b");
    served("a");
    served("c");

    tracker.requestStarted("d"); // cold: the host holds 3, as many as it ever has

    assertEquals(LOADING, tracker.state("d"));
    assertTrue(tracker.likelyEvicted("b"), "b was used least recently");
    assertFalse(tracker.likelyEvicted("a"));
    assertFalse(tracker.likelyEvicted("c"));
    assertEquals(LOADED, tracker.state("b"), "a guess, not a state change: no event");
  }

  @Test
  void aModelInUseIsNeverTheOneEvicted() {
    ps("a", "b");
    served("a");
    served("b");
    tracker.requestStarted("a"); // a is busy now: Ollama does not unload a model in use

    tracker.requestStarted("c");

    assertFalse(tracker.likelyEvicted("a"));
    assertTrue(tracker.likelyEvicted("b"));
  }

  @Test
  void aHostWithRoomEvictsNothing() {
    ps("a", "b", "c");
    ps("a"); // two expired: room for two more
    served("a");

    tracker.requestStarted("d");

    assertFalse(tracker.likelyEvicted("a"));
  }

  @Test
  void beforeAnyPollNothingIsGuessed() {
    served("a");
    served("b");

    tracker.requestStarted("c");

    assertFalse(tracker.likelyEvicted("a"));
    assertFalse(tracker.likelyEvicted("b"));
  }

  @Test
  void thePollThatStillListsItPutsItBack() {
    ps("a", "b");
    served("a");
    served("b");
    tracker.requestStarted("c");
    assertTrue(tracker.likelyEvicted("a"));

    ps("a", "b", "c"); // the host had room after all

    assertFalse(tracker.likelyEvicted("a"));
    assertEquals(LOADED, tracker.state("a"));
  }

  @Test
  void aRequestForTheEvictedModelLoadsItAgainAndEvictsTheNextIdleOne() {
    ps("a", "b");
    served("a");
    served("b");
    tracker.requestStarted("c"); // evicts a
    tracker.requestServed("c");

    tracker.requestStarted("a"); // a comes back: a cold load again, which evicts b (c just served)

    assertEquals(LOADING, tracker.state("a"));
    assertFalse(tracker.likelyEvicted("a"));
    assertTrue(tracker.likelyEvicted("b"));
    tracker.requestServed("a");
    assertEquals(LOADED, tracker.state("a"));
  }

  @Test
  void theModelBeingLoadedIsNeverTheOneTakenAsEvicted() {
    ps("a", "b");
    served("a");
    served("b");
    tracker.requestStarted("c");

    assertTrue(tracker.likelyEvicted("a"));
    assertFalse(tracker.likelyEvicted("c"));
    tracker.requestServed("c");
    assertFalse(tracker.likelyEvicted("c"));
    assertEquals(LOADED, tracker.state("c"));
  }
}
