package core.llm.providers.config;

import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.LlmException;

/** The configuration is unusable; {@link #report()} lists every problem. Kind BAD_REQUEST. */
public class ConfigValidationException extends LlmException {
  private final ValidationReport report;

  public ConfigValidationException(ValidationReport report) {
    super(ErrorKind.BAD_REQUEST, report.toString(), ErrorContext.NONE, null);
    this.report = report;
  }

  public ValidationReport report() {
    return report;
  }
}
