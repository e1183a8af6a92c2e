package core.llm.observability;

/**
 * Running totals for one provider and model since the last reset.
 *
 * @param provider provider name
 * @param model model (capped like the metric label: past the cap, {@code other})
 * @param requests requests that ended
 * @param errors of those, the failed ones
 * @param promptTokens prompt tokens reported
 * @param completionTokens completion tokens reported
 * @param cost summed cost of the priced requests; null when none was priced (no price, no cost)
 */
public record UsageTotals(
    String provider,
    String model,
    long requests,
    long errors,
    long promptTokens,
    long completionTokens,
    Double cost) {

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
