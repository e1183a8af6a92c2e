package core.llm.providers.config;

/**
 * Outcome of {@link ConfigLoader}: the configuration as far as it could be built (null only when
 * the text could not be parsed at all) and every problem found.
 */
public record ConfigLoadResult(LlmConfig config, ValidationReport report) {
  public boolean isValid() {
    return config != null && report.isValid();
  }

  /**
   * The configuration when valid.
   *
   * @throws ConfigValidationException carrying the report otherwise
   */
  public LlmConfig orThrow() {
    if (!isValid()) {
      throw new ConfigValidationException(report);
    }
    return config;
  }
}
