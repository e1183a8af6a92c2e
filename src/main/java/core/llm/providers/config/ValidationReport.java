package core.llm.providers.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every problem found in one load or reload, in discovery order. {@link #isValid()} is true when
 * none is an error (warnings allowed).
 */
public record ValidationReport(List<ConfigProblem> problems) {
  public static final ValidationReport OK = new ValidationReport(List.of());

  public ValidationReport {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public static ValidationReport of(List<ConfigProblem> problems) {
    return new ValidationReport(problems);
  }

  /** No errors (warnings allowed). */
  public boolean isValid() {
    return problems.stream().noneMatch(ConfigProblem::isError);
  }

  public List<ConfigProblem> errors() {
    return problems.stream().filter(ConfigProblem::isError).toList();
  }

  public List<ConfigProblem> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }

  /** Problems at exactly this path. */
  public List<ConfigProblem> at(String path) {
    return problems.stream().filter(p -> p.path().equals(path)).toList();
  }

  /** This report followed by the other's problems. */
  public ValidationReport plus(ValidationReport other) {
    if (other == null || other.problems.isEmpty()) {
      return this;
    }
    List<ConfigProblem> all = new ArrayList<>(problems);
    all.addAll(other.problems);
    return new ValidationReport(all);
  }

  /**
   * Multi-line: a header line, then one {@code - path: message} line per problem, e.g.
   *
   * <pre>
   * Invalid configuration (2 errors, 0 warnings):
   *   - providers[1].baseUrl: not an http(s) URL
   *   - fallback[0]: unknown provider 'x'. Available: [ollama]
   * </pre>
   */
  @Override
  public String toString() {
    int errors = errors().size();
    StringBuilder sb = new StringBuilder();
    sb.append(errors > 0 ? "Invalid configuration" : "Valid configuration")
        .append(" (")
        .append(errors)
        .append(errors == 1 ? " error, " : " errors, ")
        .append(problems.size() - errors)
        .append(problems.size() - errors == 1 ? " warning)" : " warnings)");
    if (!problems.isEmpty()) {
      sb.append(':');
    }
    for (ConfigProblem p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
