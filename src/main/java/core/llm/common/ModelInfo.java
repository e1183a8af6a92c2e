package core.llm.common;

/**
 * A model a provider offers.
 *
 * @param id the model name as the provider knows it
 * @param provider the provider's name
 * @param sizeBytes size on disk when known, else null
 */
public record ModelInfo(String id, String provider, Long sizeBytes) {}
