package core.llm.providers.base;

/**
 * Where a model stands on a provider's server, as far as this process knows without asking: what
 * the router ranks equal candidates by (a loaded copy first, so a request never pays for a cold
 * load another host has already paid for). Best first.
 */
public enum Residency {
  /** In memory now (listed by {@code /api/ps}, or it just answered a request of this process). */
  LOADED,
  /** A request of this process is loading it: the next ones should join that load. */
  LOADING,
  /** On disk, not in memory. */
  INSTALLED,
  /** Nothing known (not every provider can say; hosted APIs never need to). */
  UNKNOWN,
  /** Known not to be on that server. */
  ABSENT
}
