package core.llm.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import core.llm.common.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prices per provider and model, turning usage into cost. A model with no entry has no cost
 * (absent, never zero), so totals never pretend a paid model was free. The first entry naming the
 * provider wins over wildcard ({@code provider} null or {@code "*"}) entries. Reads with a plain
 * Jackson mapper, YAML or JSON:
 *
 * <pre>{@code
 * currency: USD
 * prices:
 *   - { provider: openai, model: gpt-4o-mini, inputPerMillion: 0.15, outputPerMillion: 0.60 }
 *   - { model: claude-sonnet-4, inputPerMillion: 3, outputPerMillion: 15 }
 * }</pre>
 *
 * @param currency currency of every price (informational; for example {@code USD}); may be null
 * @param prices the entries
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriceTable(String currency, List<ModelPrice> prices) {

  public static final PriceTable EMPTY = new PriceTable(null, List.of());

  public PriceTable {
    prices = prices == null ? List.of() : List.copyOf(prices);
  }

  public static PriceTable of(String currency, ModelPrice... prices) {
    return new PriceTable(currency, List.of(prices));
  }

  /** This table plus one entry (immutable: returns a copy). */
  public PriceTable with(ModelPrice price) {
    List<ModelPrice> next = new ArrayList<>(prices);
    next.add(price);
    return new PriceTable(currency, next);
  }

  /**
   * The price of {@code model} on {@code provider}: an exact provider entry first, then a wildcard.
   */
  public Optional<ModelPrice> price(String provider, String model) {
    ModelPrice wildcard = null;
    for (ModelPrice p : prices) {
      if (p.matches(provider, model)) {
        if (p.provider() != null && !"*".equals(p.provider())) {
          return Optional.of(p);
        }
        if (wildcard == null) {
          wildcard = p;
        }
      }
    }
    return Optional.ofNullable(wildcard);
  }

  /**
   * The cost of one request, or null when the model has no price or the usage has no token count at
   * all (unknown usage is not free usage).
   */
  public Double cost(String provider, String model, Usage usage) {
    if (usage == null || (usage.promptTokens() == null && usage.completionTokens() == null)) {
      return null;
    }
    return price(provider, model)
        .map(p -> p.cost(usage.promptTokens(), usage.completionTokens()))
        .orElse(null);
  }
}
