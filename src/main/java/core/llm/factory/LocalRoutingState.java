package core.llm.factory;

import core.llm.common.ErrorKind;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** {@link SharedRoutingState#local()}: one process, so every other member is absent. */
final class LocalRoutingState implements SharedRoutingState {
  static final LocalRoutingState INSTANCE = new LocalRoutingState();

  private LocalRoutingState() {}

  @Override
  public void join(Member member) {}

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public String self() {
    return "local";
  }

  @Override
  public List<String> members() {
    return List.of(self());
  }

  @Override
  public void failure(String provider, ErrorKind kind, int status) {}

  @Override
  public void recovered(String provider) {}

  @Override
  public int remoteInFlight(String provider, String model) {
    return 0;
  }

  @Override
  public void loaded(String provider, String model) {}

  @Override
  public boolean loadedElsewhere(String provider, String model, Duration maxAge) {
    return false;
  }

  @Override
  public Future<String> claimLoad(String load, String provider, Duration ttl) {
    return Future.succeededFuture(provider);
  }

  @Override
  public void releaseLoad(String load, String provider) {}

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
