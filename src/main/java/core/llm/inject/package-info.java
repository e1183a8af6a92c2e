/**
 * Guice wiring: {@link core.llm.inject.LlmModule} (bindings only) and {@link
 * core.llm.inject.LlmService} (start/stop), configured by {@link core.llm.inject.LlmSettings}.
 */
package core.llm.inject;
