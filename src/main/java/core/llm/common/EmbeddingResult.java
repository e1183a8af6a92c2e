package core.llm.common;

import java.util.List;

/**
 * Vectors for the inputs, in input order.
 *
 * @param provider name of the provider
 * @param model the model
 * @param vectors one vector per input
 * @param usage tokens where reported
 */
public record EmbeddingResult(String provider, String model, List<float[]> vectors, Usage usage) {}
