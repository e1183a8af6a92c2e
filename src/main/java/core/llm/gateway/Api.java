package core.llm.gateway;

import io.vertx.ext.web.Router;

/** One group of the gateway's endpoints (an API it speaks, or its operations pages). */
interface Api {
  /** Adds this group's routes. */
  void mount(Router router);
}
