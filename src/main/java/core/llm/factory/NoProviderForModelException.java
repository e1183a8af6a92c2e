package core.llm.factory;

import core.llm.common.ErrorContext;
import core.llm.common.ModelNotFoundException;
import java.util.List;

/**
 * No configured, enabled provider serves the model: it is not mapped, not registered, not listed by
 * any provider, and the default and fallback providers each list models that exclude it. Kind
 * NOT_FOUND. {@link #tried()} names the providers that were considered.
 */
public class NoProviderForModelException extends ModelNotFoundException {
  private final String model;
  private final List<String> tried;

  public NoProviderForModelException(String model, List<String> tried) {
    super(
        "No provider serves model '" + model + "'. Providers considered: " + tried,
        ErrorContext.NONE);
    this.model = model;
    this.tried = List.copyOf(tried);
  }

  /** The model asked for, after alias resolution. */
  public String model() {
    return model;
  }

  /** The providers considered, in resolution order. */
  public List<String> tried() {
    return tried;
  }
}
