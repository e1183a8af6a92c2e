package core.llm.providers.ollama;

import core.llm.providers.ollama.models.ProcessModel;
import java.time.Duration;

/**
 * The outcome of {@link ModelLifecycle#load}.
 *
 * @param model the model name, normalised
 * @param doneReason {@code "load"} for a generate preload; null for an embedding model, whose
 *     preload ({@code /api/embed} without input) carries no done_reason
 * @param process the model's row of {@code /api/ps} right after the load (expiry, size, VRAM
 *     share), or null if the server did not list it
 * @param took how long the request took, as seen by this client (a warm model answers at once)
 */
public record LoadResult(String model, String doneReason, ProcessModel process, Duration took) {}
