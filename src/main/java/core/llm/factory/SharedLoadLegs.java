package core.llm.factory;

import core.llm.common.Futures;
import core.llm.common.LlmException;
import io.vertx.core.Future;

/**
 * The legs of a chat, each handed out once its host has the model loaded by the factory's shared
 * load ({@link LlmProviderFactoryImpl#sharedLoad}). A load that fails is that attempt's failure:
 * retried or failed over like a failed request, or returned when it is not retryable (a model the
 * host does not have).
 */
final class SharedLoadLegs implements LegSource {
  private final Routing legs;
  private final LlmProviderFactoryImpl factory;
  private final LoadSettings settings;

  SharedLoadLegs(Routing legs, LlmProviderFactoryImpl factory, LoadSettings settings) {
    this.legs = legs;
    this.factory = factory;
    this.settings = settings;
  }

  @Override
  public Future<Lease> next(LlmException failure) {
    return Futures.then(
        Futures.then(legs.next(failure), lease -> factory.claimedHost(legs, lease, settings)),
        this::loaded);
  }

  private Future<Lease> loaded(Lease lease) {
    Future<Void> load;
    try {
      load = factory.sharedLoad(lease.name, lease.provider, legs.model(), settings);
    } catch (RuntimeException e) {
      load = Future.failedFuture(e);
    }
    if (load == null) {
      return Future.succeededFuture(lease); // loaded already, or nothing to load
    }
    return load.transform(
        ar -> {
          if (ar.succeeded()) {
            return Future.succeededFuture(lease);
          }
          lease.release();
          LlmException e = Errors.classify(ar.cause(), lease.name);
          if (!Errors.retryableBeforeCommit(e)) {
            lease.neutral(e);
            return Future.failedFuture(e);
          }
          lease.failure(e);
          return next(e);
        });
  }

  @Override
  public void midStream(Lease lease, LlmException e) {
    legs.midStream(lease, e);
  }

  @Override
  public String model() {
    return legs.model();
  }
}
