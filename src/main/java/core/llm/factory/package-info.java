/**
 * Providers by name and by model, routing across them, and hot reload.
 *
 * <ul>
 *   <li>{@link core.llm.factory.LlmProviderFactory}: {@code provider(name)}, {@code
 *       providerForModel(model[, preferred])}, {@code registerModel}, {@code availableProviders()},
 *       {@code router()}; built with {@link core.llm.factory.LlmProviderFactory#builder} or
 *       injected by {@code core.llm.inject.LlmModule}.
 *   <li>SPI: {@link core.llm.factory.ProviderCreator} per provider type, given a {@link
 *       core.llm.factory.ProviderContext} (Vert.x, config, resolved key); registered by Guice
 *       {@code MapBinder} or {@link java.util.ServiceLoader} ({@link
 *       core.llm.factory.ProviderCreators}); built-ins in {@link
 *       core.llm.factory.BuiltInProviders}.
 *   <li>Routing: {@link core.llm.factory.RoutedProvider}, observed through {@link
 *       core.llm.factory.RoutingListener} / {@link core.llm.factory.RoutingEvent} (event bus
 *       address {@code core.llm.routing}); time injected through {@link
 *       core.llm.factory.RoutingClock}.
 *   <li>Errors: {@link core.llm.factory.ProviderNotFoundException}, {@link
 *       core.llm.factory.NoProviderForModelException}, {@link
 *       core.llm.factory.ServiceUnavailableException}.
 * </ul>
 */
package core.llm.factory;
