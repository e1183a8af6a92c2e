package core.llm.factory;

import core.llm.common.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the factories of several processes share when they route to the same providers: breaker
 * failures, in-flight counts per provider and model, models seen loaded, and the claim on a cold
 * load (only one process picks the host that loads a model). {@link #local()}, the default, shares
 * nothing; {@link #clustered(Vertx)} shares through a clustered Vert.x (its event bus and shared
 * data), so any Vert.x cluster manager works.
 *
 * <p>Nothing here may hold a request up: every shared read is a local copy kept fresh by messages,
 * and the one asynchronous call ({@link #claimLoad}) answers with this process's own choice when
 * the cluster does not answer in time. Providers are matched by their configured names, so the
 * members should share one configuration.
 */
public interface SharedRoutingState {

  /** One process: nothing is shared. */
  static SharedRoutingState local() {
    return LocalRoutingState.INSTANCE;
  }

  /**
   * Shares with every member of {@code vertx}'s cluster that does the same.
   *
   * @throws IllegalArgumentException when {@code vertx} is not clustered
   */
  static SharedRoutingState clustered(Vertx vertx) {
    return clustered(vertx, null);
  }

  /**
   * As {@link #clustered(Vertx)}, with what the monitoring document shows for this member (e.g. the
   * gateway's address); null: the member id alone.
   */
  static SharedRoutingState clustered(Vertx vertx, String label) {
    if (!vertx.isClustered()) {
      throw new IllegalArgumentException(
          "SharedRoutingState.clustered needs a clustered Vertx (Vertx.builder()"
              + ".withClusterManager(...).buildClustered()); use SharedRoutingState.local() for one"
              + " process");
    }
    return new ClusteredRoutingState(vertx, label);
  }

  /** What the factory tells the shared state about itself, and hears from the other members. */
  interface Member {
    /** This process's requests in flight: provider → canonical model → count. */
    Map<String, Map<String, Integer>> inFlight();

    /** Another member saw a retryable failure of that provider. */
    void remoteFailure(String provider, ErrorKind kind, int status);

    /**
     * Another member saw that provider answer after failures (its breaker closed, or its count of
     * consecutive failures went back to zero).
     */
    void remoteRecovered(String provider);
  }

  /** Starts sharing on behalf of {@code member} (a factory calls it once, when it starts). */
  void join(Member member);

  /** Whether anything is shared (false for {@link #local()}). */
  boolean shared();

  /** This member: its label and id. */
  String self();

  /** The members heard from recently, this one first (one entry for {@link #local()}). */
  List<String> members();

  /** Tells the others of a retryable failure this process saw. */
  void failure(String provider, ErrorKind kind, int status);

  /**
   * Tells the others that the provider answered after failures this process knew of: the failures
   * were not consecutive after all, wherever they were seen (so N members' breakers count as one).
   */
  void recovered(String provider);

  /** Requests in flight for the model on the provider in the other members (0 when alone). */
  int remoteInFlight(String provider, String model);

  /** Tells the others that the model is now loaded on the provider's host. */
  void loaded(String provider, String model);

  /** Whether another member saw the model loaded on the provider's host within {@code maxAge}. */
  boolean loadedElsewhere(String provider, String model, Duration maxAge);

  /**
   * Claims the cold load of {@code load} (a model and its load-time options) for {@code provider}:
   * completes with the provider that holds the claim, which is {@code provider} unless another
   * member claimed it first (then this request should go there, and join that load). The claim
   * lasts {@code ttl}, or until {@link #releaseLoad}.
   */
  Future<String> claimLoad(String load, String provider, Duration ttl);

  /** Drops this member's claim (its load failed: another member may try another host). */
  void releaseLoad(String load, String provider);

  /** Stops sharing (the cluster itself belongs to whoever created the Vertx). */
  Future<Void> close();
}
