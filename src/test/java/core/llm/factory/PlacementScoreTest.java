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
  void beforeAnythingIsObservedALoadedCopySpreadsAtAboutFourTimesItsCapacity() {
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

  private static Placement.Score timed(int inFlight, int capacity, long requestMs, long loadMs) {
    return ModelRoute.Candidate.score(
        Residency.LOADED,
        false,
        inFlight,
        0,
        capacity,
        requestMs * 1_000_000,
        loadMs * 1_000_000,
        0,
        0);
  }

  @Test
  void aLoadedCopySpreadsOnceItsQueueWaitExceedsALoad() {
    Placement.Score cold = score(Residency.INSTALLED, 0, 2);
    // capacity 2, 3 in flight: a new request waits for 2 to finish, 2/2 x 500 ms = 500 ms
    assertTrue(timed(3, 2, 500, 501).compareTo(cold) < 0, "a load takes longer: stay");
    assertTrue(timed(3, 2, 500, 499).compareTo(cold) > 0, "the queue takes longer: spread");
    assertTrue(timed(1, 2, 10_000, 1).compareTo(cold) < 0, "a free slot never waits");
    assertTrue(timed(2, 2, 10_000, 1).compareTo(cold) > 0, "a full one waits a request");
  }

  private static Placement.Score onHost(Residency r, int modelsInUse, int hostInFlight) {
    return ModelRoute.Candidate.score(
        r,
        false,
        0,
        0,
        1,
        ServiceTimes.DEFAULT_REQUEST_NANOS,
        ServiceTimes.DEFAULT_LOAD_NANOS,
        modelsInUse,
        hostInFlight);
  }

  @Test
  void betweenEqualColdHostsTheOneUsingFewerModelsWinsThenTheLessBusy() {
    assertTrue(
        onHost(Residency.INSTALLED, 1, 4).compareTo(onHost(Residency.INSTALLED, 3, 3)) < 0,
        "one hot model with four requests leaves room to load; three busy models do not");
    assertTrue(
        onHost(Residency.INSTALLED, 2, 2).compareTo(onHost(Residency.INSTALLED, 2, 5)) < 0,
        "the same models in use: where less is running");
    assertTrue(
        onHost(Residency.INSTALLED, 3, 9).compareTo(onHost(Residency.ABSENT, 0, 0)) < 0,
        "having the model outranks being idle");
    assertTrue(
        onHost(Residency.LOADED, 3, 9).compareTo(onHost(Residency.INSTALLED, 0, 0)) < 0,
        "a loaded copy outranks an idle host");
  }
}
