package core.llm.providers.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration.
 *
 * @param path where: {@code providers[1].baseUrl}, {@code modelMapping["gpt-4o"]}, {@code
 *     env.PROVIDER_MODEL_MAPPING}, or {@code (file)} for the document as a whole
 * @param message what, never containing a credential
 * @param severity {@link Severity#ERROR} makes the configuration unusable
 */
public record ConfigProblem(String path, String message, Severity severity) {
  /** How bad a problem is. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    // User values are quoted in paths and messages; a hostile or mistaken file must not turn one
    // problem into megabytes of log.
    path = Redaction.abbreviate(path, 200);
    message = Redaction.abbreviate(message, 1000);
    severity = severity == null ? Severity.ERROR : severity;
  }

  public static ConfigProblem error(String path, String message) {
    return new ConfigProblem(path, message, Severity.ERROR);
  }

  public static ConfigProblem warning(String path, String message) {
    return new ConfigProblem(path, message, Severity.WARNING);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code path: message}, with a {@code (warning)} suffix for warnings. */
  @Override
  public String toString() {
    return path + ": " + message + (isError() ? "" : " (warning)");
  }
}
