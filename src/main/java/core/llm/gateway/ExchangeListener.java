package core.llm.gateway;

/**
 * Told once per request, when its response has been written or its connection closed first: the
 * request log, the metrics and the dashboard's counters read the notes the front ends filled in.
 * Called on the request's event loop; a listener must not block.
 */
interface ExchangeListener {

  /**
   * @param notes what the front end noted about the request
   * @param status the HTTP status sent (200 also when a stream failed in-band, see {@code
   *     notes.failure}, or the client went away, see {@code notes.clientGone})
   */
  void requestEnded(RequestNotes notes, int status);
}
