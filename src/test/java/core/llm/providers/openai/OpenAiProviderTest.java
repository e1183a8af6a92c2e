package core.llm.providers.openai;

import static core.llm.providers.base.ProviderConformanceTest.await;
import static core.llm.providers.base.ProviderConformanceTest.failure;
import static core.llm.providers.base.ProviderConformanceTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import core.llm.common.ChatMessage;
import core.llm.common.CompletionRequest;
import core.llm.common.CompletionResult;
import core.llm.common.ConnectionException;
import core.llm.common.ContextTooLongException;
import core.llm.common.EmbeddingRequest;
import core.llm.common.ErrorContext;
import core.llm.common.ErrorKind;
import core.llm.common.GenerationOptions;
import core.llm.common.ImageData;
import core.llm.common.InvalidResponseException;
import core.llm.common.LlmException;
import core.llm.common.ModelNotFoundException;
import core.llm.common.ResponseFormat;
import core.llm.common.Thinking;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OpenAI-specific wire details the shared suite cannot express. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiProviderTest {
  private Vertx vertx;
  private FakeOpenAiServer server;
  private OpenAiProvider provider;
  private String baseUrl;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = new FakeOpenAiServer(vertx);
    int port = server.start().toCompletionStage().toCompletableFuture().get();
    baseUrl = "http://127.0.0.1:" + port + "/v1";
    provider =
        OpenAiProvider.create(
            vertx,
            new OpenAiOptions()
                .setName("openai-test")
                .setBaseUrl(baseUrl)
                .setApiKey(FakeOpenAiServer.API_KEY)
                .setOrganization("org-1")
                .setProject("proj-1")
                .addHeader("X-Trace", "t1")
                .setTimeouts(OpenAiConformanceTest.TEST_TIMEOUTS));
  }

  @AfterEach
  void stop() {
    await(provider.close());
    await(server.close());
    await(vertx.close());
  }

  @Test
  void requestBodyCarriesOptionsFormatImagesAndStreamFlags() {
    CompletionRequest request =
        CompletionRequest.builder(FakeOpenAiServer.MODEL)
            .system("Be brief.")
            .message(
                ChatMessage.user(
                    "What is this?", List.of(ImageData.of(new byte[] {1, 2, 3}, "image/jpeg"))))
            .options(
                GenerationOptions.builder()
                    .temperature(0.2)
                    .maxTokens(50)
                    .topP(0.9)
                    .stop(List.of("END"))
                    .seed(7)
                    .providerOption("logprobs", true)
                    .build())
            .responseFormat(ResponseFormat.schema("my schema!", json("{\"type\":\"object\"}")))
            .think(Thinking.level("high"))
            .build();
    server.next(FakeOpenAiServer.tokens(List.of("ok"), 1, 1));
    await(provider.chatStream(request).result());
    JsonNode body = server.lastBody;
    assertEquals(true, body.path("stream").asBoolean());
    assertTrue(body.path("stream_options").path("include_usage").asBoolean());
    assertEquals(50, body.path("max_tokens").asInt());
    assertEquals(0.2, body.path("temperature").asDouble());
    assertEquals(0.9, body.path("top_p").asDouble());
    assertEquals("END", body.path("stop").get(0).asText());
    assertEquals(7, body.path("seed").asInt());
    assertTrue(body.path("logprobs").asBoolean(), "provider options are top-level fields");
    assertEquals("high", body.path("reasoning_effort").asText());
    JsonNode format = body.path("response_format");
    assertEquals("json_schema", format.path("type").asText());
    assertEquals("my_schema_", format.path("json_schema").path("name").asText());
    // an open object ({"type":"object"}) has no strict form: OpenAI would refuse it with a 400
    assertEquals(false, format.path("json_schema").path("strict").asBoolean(true));
    JsonNode parts = body.path("messages").get(1).path("content");
    assertEquals("text", parts.get(0).path("type").asText());
    assertEquals(
        "data:image/jpeg;base64,AQID", parts.get(1).path("image_url").path("url").asText());
    MultiMap headers = server.lastHeaders;
    assertEquals("org-1", headers.get("OpenAI-Organization"));
    assertEquals("proj-1", headers.get("OpenAI-Project"));
    assertEquals("t1", headers.get("X-Trace"));
    assertEquals("/v1/chat/completions", server.lastPath);

    server.next(FakeOpenAiServer.tokens(List.of("{}"), 1, 1));
    await(
        provider.chat(
            CompletionRequest.builder("m")
                .user("x")
                .responseFormat(ResponseFormat.json())
                .build()));
    assertEquals("json_object", server.lastBody.path("response_format").path("type").asText());
    assertFalse(server.lastBody.has("stream_options"));
  }

  @Test
  void reasoningBecomesThinking() {
    server.next(FakeOpenAiServer.thinking("Let me think.", "42"));
    CompletionResult r =
        await(provider.chatStream(CompletionRequest.builder("m").user("?").build()).result());
    assertEquals("Let me think.", r.message().thinking());
    assertEquals("42", r.content());
  }

  @Test
  void malformedToolArgumentsFailQuotingThem() {
    server.next(FakeOpenAiServer.toolCall("c1", "f", "{\"a\": oops"));
    Throwable t =
        failure(provider.chatStream(CompletionRequest.builder("m").user("?").build()).result());
    InvalidResponseException e = assertInstanceOf(InvalidResponseException.class, t);
    assertTrue(e.getMessage().contains("{\"a\": oops"), e.getMessage());
    server.next(FakeOpenAiServer.toolCall("c1", "f", "[1,2]"));
    assertInstanceOf(
        InvalidResponseException.class,
        failure(provider.chat(CompletionRequest.builder("m").user("?").build())));
  }

  @Test
  void embeddingsSendDimensionsAndModelsList() {
    var r = await(provider.embed(new EmbeddingRequest("emb", List.of("a", "b"), 4)));
    assertEquals(4, server.lastBody.path("dimensions").asInt());
    assertEquals(4, r.vectors().get(0).length);
    assertEquals("a", server.lastBody.path("input").get(0).asText());
    assertEquals(
        List.of(FakeOpenAiServer.MODEL),
        await(provider.listModels()).stream().map(m -> m.id()).toList());
    assertTrue(await(provider.health()).up());
  }

  @Test
  void errorMapping() {
    OpenAiErrors errors = new OpenAiErrors(FakeOpenAiServer.API_KEY);
    ErrorContext ctx = ErrorContext.of("p", "POST /chat/completions");
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    // vLLM's flat body, and llama.cpp's context error
    assertInstanceOf(
        ContextTooLongException.class,
        errors.fromStatus(
            400,
            none,
            "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens.\",\"type\":\"BadRequestError\",\"code\":400}",
            ctx));
    assertInstanceOf(
        ContextTooLongException.class,
        errors.fromStatus(
            400,
            none,
            "{\"error\":{\"code\":400,\"message\":\"request exceeds the available context size\",\"type\":\"exceed_context_size_error\"}}",
            ctx));
    assertInstanceOf(
        ModelNotFoundException.class,
        errors.fromStatus(
            404,
            none,
            "{\"object\":\"error\",\"message\":\"The model `x` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}",
            ctx));
    LlmException route = errors.fromStatus(404, none, "404 page not found", ctx);
    assertEquals(ErrorKind.NOT_FOUND, route.kind());
    assertTrue(route.getMessage().contains("/v1"), route.getMessage());
    assertEquals(
        ErrorKind.SERVER_ERROR,
        errors.fromStatus(502, none, "<html>Bad gateway</html>", ctx).kind());
    assertEquals(ErrorKind.SERVER_ERROR, errors.fromStatus(504, none, "", ctx).kind());
    assertEquals(ErrorKind.OVERLOADED, errors.fromStatus(529, none, "", ctx).kind());
    LlmException leak =
        errors.fromStatus(
            401, none, "bad key " + FakeOpenAiServer.API_KEY + " and sk-abcdefghijkl", ctx);
    assertFalse(leak.getMessage().contains(FakeOpenAiServer.API_KEY));
    assertFalse(leak.getMessage().contains("sk-abcdefghijkl"));
  }

  @Test
  void connectionRefusedNamesTheUrlAndOptionsHideTheKey() {
    OpenAiProvider down =
        OpenAiProvider.create(vertx, new OpenAiOptions().setBaseUrl("http://127.0.0.1:1/v1"));
    ConnectionException e =
        assertInstanceOf(
            ConnectionException.class,
            failure(down.chat(CompletionRequest.builder("m").user("?").build())));
    assertTrue(e.getMessage().contains("http://127.0.0.1:1/v1/chat/completions"), e.getMessage());
    await(down.close());
    OpenAiOptions options = provider.options();
    assertFalse(options.toString().contains(FakeOpenAiServer.API_KEY));
    assertFalse(options.toJson().encode().contains(FakeOpenAiServer.API_KEY));
    assertEquals(baseUrl, new OpenAiOptions(options.toJson()).getBaseUrl());
  }

  @Test
  void missingDoneIsIncompleteEvenAfterFinishReason() {
    server.next(
        FakeOpenAiServer.rawSse(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\n"));
    Throwable t =
        failure(provider.chatStream(CompletionRequest.builder("m").user("?").build()).result());
    assertEquals(ErrorKind.INCOMPLETE_STREAM, assertInstanceOf(LlmException.class, t).kind());
    assertTrue(t.getMessage().contains("[DONE]"), t.getMessage());
  }

  @Test
  void closeDuringAStreamCancelsItAndSaysTheClientWasClosed() throws Exception {
    server.next(FakeOpenAiServer.tokensThenHold(List.of("Hel")));
    var stream =
        provider.chatStream(CompletionRequest.builder(FakeOpenAiServer.MODEL).user("hi").build());
    java.util.concurrent.CompletableFuture<Void> first =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Throwable> failed =
        new java.util.concurrent.CompletableFuture<>();
    stream.exceptionHandler(failed::complete).handler(d -> first.complete(null));
    first.get(10, TimeUnit.SECONDS);
    await(provider.close());
    Throwable error = failed.get(10, TimeUnit.SECONDS);
    assertEquals(ErrorKind.CANCELLED, assertInstanceOf(LlmException.class, error).kind());
    assertTrue(error.getMessage().contains("client was closed"), error.getMessage());
  }
}
