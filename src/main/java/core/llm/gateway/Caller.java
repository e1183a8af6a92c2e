package core.llm.gateway;

/**
 * Who made a request, as the gateway knows them: the name of their key in the configuration, or
 * {@link #ANONYMOUS} when no keys are configured. Never the key itself.
 */
record Caller(String keyName) {
  static final Caller ANONYMOUS = new Caller("anonymous");
}
