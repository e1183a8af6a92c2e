package core.llm.factory;

/**
 * Live signals the resolver ranks equal candidates by (providers that all list the model): where
 * the model stands on each one's server, then how busy each is. Read without I/O on every request.
 */
interface Placement {
  /** No signal: the weighted random order stands. */
  Placement NONE = (provider, model) -> Score.NEUTRAL;

  Score score(String provider, String model);

  /**
   * Lower is better on both.
   *
   * @param residency twice the {@link core.llm.providers.base.Residency} ordinal (loaded, loading,
   *     installed, unknown, absent), plus one when the loaded copy runs with another context length
   *     than the request asks (a reload)
   * @param busy this factory's in-flight requests for the model on that host plus recent
   *     consecutive failures, over the model's capacity there ({@code options.parallel}); a host
   *     that fails fast never looks idle
   * @param hostModels how many models this factory has requests in flight for on that host: next
   *     between otherwise equal hosts, since a cold load waits for an eviction where every loaded
   *     model is busy
   * @param hostLoad this factory's in-flight requests on that host for any model: the last word
   */
  record Score(int residency, double busy, int hostModels, int hostLoad)
      implements Comparable<Score> {
    static final Score NEUTRAL =
        new Score(2 * core.llm.providers.base.Residency.UNKNOWN.ordinal(), 0, 0, 0);

    @Override
    public int compareTo(Score o) {
      int c = Integer.compare(residency, o.residency);
      if (c != 0) {
        return c;
      }
      c = Double.compare(busy, o.busy);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(hostModels, o.hostModels);
      return c != 0 ? c : Integer.compare(hostLoad, o.hostLoad);
    }
  }
}
