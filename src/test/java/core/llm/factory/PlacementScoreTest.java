package core.llm.factory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import core.llm.providers.base.Residency;
import org.junit.jupiter.api.Test;

/** The one placement formula: residency first, except for a loaded copy drowning in requests. */
class PlacementScoreTest {
  private static Placement.Score score(Residency r, int inFlight, int capacity) {
    return ModelRoute.Candidate.score(r, false, inFlight, 0, capacity);
  }

  @Test
  void aLoadedCopyBeatsAColdHostEvenWithAQueue() {
    assertTrue(
        score(Residency.LOADED, 3, 1).compareTo(score(Residency.UNKNOWN, 0, 1)) < 0,
        "three queued on a loaded copy still beat a cold load");
    assertTrue(
        score(Residency.LOADING, 0, 1).compareTo(score(Residency.INSTALLED, 0, 1)) < 0,
        "joining a load beats starting one");
  }

  @Test
  void aLoadedCopyWithFourTimesItsCapacityInFlightSpreadsTheModel() {
    assertTrue(
        score(Residency.LOADED, 4, 1).compareTo(score(Residency.UNKNOWN, 0, 1)) > 0,
        "a hot model goes to a second host");
    assertTrue(
        score(Residency.LOADED, 7, 2).compareTo(score(Residency.INSTALLED, 0, 2)) < 0,
        "3.5 times the capacity: not yet");
    assertTrue(
        score(Residency.LOADED, 8, 2).compareTo(score(Residency.ABSENT, 0, 2)) < 0,
        "never behind a host that does not have the model");
  }
}
