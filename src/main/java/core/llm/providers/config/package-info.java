/**
 * Configuration of providers, routing and hot reload.
 *
 * <ul>
 *   <li>Model: {@link core.llm.providers.config.LlmConfig} (top level), {@link
 *       core.llm.providers.config.ProviderConfig}, {@link core.llm.providers.config.TimeoutConfig},
 *       {@link core.llm.providers.config.HttpConfig} (a provider's {@code http} block: pool size,
 *       HTTP/2, TLS, proxy, headers), {@link core.llm.providers.config.RoutingConfig}, {@link
 *       core.llm.providers.config.ReloadConfig}: immutable records, equal by value, no credential
 *       anywhere (only environment variable names).
 *   <li>Loading: {@link core.llm.providers.config.ConfigLoader} (YAML/JSON, environment overrides
 *       {@code LLM_PROVIDER}, {@code PROVIDER_MODEL_MAPPING}, {@code OLLAMA_HOST}, embedded
 *       default) returning a {@link core.llm.providers.config.ConfigLoadResult}.
 *   <li>Validation: {@link core.llm.providers.config.ConfigValidator} → {@link
 *       core.llm.providers.config.ValidationReport} of {@link
 *       core.llm.providers.config.ConfigProblem}s (every problem, with its path); {@link
 *       core.llm.providers.config.ConfigValidationException} (BAD_REQUEST) carries one.
 *   <li>Keys: {@link core.llm.providers.config.ApiKeys}, {@link
 *       core.llm.providers.config.SecretResolver}, {@link core.llm.providers.config.Secret}
 *       (toString {@code ****}).
 *   <li>Live configuration: {@link core.llm.providers.config.ProviderConfigManager} (watching,
 *       atomic swap, {@link core.llm.providers.config.ConfigChange} to listeners).
 * </ul>
 */
package core.llm.providers.config;
