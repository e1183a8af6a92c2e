package core.llm.gateway;

import core.llm.common.Usage;
import io.vertx.ext.web.RoutingContext;

/**
 * What a request was about, noted by its front end as it learns it and read when the response ends,
 * for the request log line and the metrics: which API, model, caller and provider, and what it
 * used. One per request, kept in the routing context.
 */
final class RequestNotes {
  private static final String KEY = "core.llm.gateway.notes";

  final long startNanos = System.nanoTime();
  String method = "";
  String path = "";
  String api = "other";
  String model;
  Caller caller;
  String provider;
  boolean stream;
  Usage usage;
  Throwable failure;

  /** The client went away before the response ended (its upstream request was cancelled). */
  boolean clientGone;

  /** Nanoseconds from the request's start to the first chunk written, or 0. */
  long firstChunkNanos;

  static RequestNotes of(RoutingContext rc) {
    RequestNotes n = rc.get(KEY);
    if (n == null) {
      n = new RequestNotes();
      rc.put(KEY, n);
    }
    return n;
  }
}
