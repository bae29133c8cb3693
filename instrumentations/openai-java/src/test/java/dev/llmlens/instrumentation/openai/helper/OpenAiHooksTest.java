package dev.llmlens.instrumentation.openai.helper;

import dev.llmlens.instrumentation.testing.RecordingObserver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.ClientOptions;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.moderations.ModerationCreateParams;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Operation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The advice's two entry points; every test leaves the thread's call depth as it found it. */
class OpenAiHooksTest {

    private static final ClientOptions OPTIONS = Sdk.options("http://localhost:8080/v1").build();
    private static final ChatCompletionCreateParams PARAMS =
            ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();


    @Test
    void plainResultStartsAndEndsTheCallAndIsReturnedAsIs() {
        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        assertEquals(List.of(call), observer.started);
        assertEquals("localhost", call.serverAddress);
        assertFalse(call.stream);

        ChatCompletion completion = Sdk.chatCompletion();
        assertSame(completion, OpenAiHooks.exit(call, completion, null));

        assertNull(observer.onlyEndOf(call).error());
        assertEquals(100, call.inputTokens);
    }

    @Test
    void thrownErrorEndsTheCallWithIt() {
        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        RateLimitException failure = Sdk.rateLimit();

        assertNull(OpenAiHooks.exit(call, null, failure));

        assertSame(failure, observer.onlyEndOf(call).error());
        assertEquals(429, call.httpStatus);
    }

    @Test
    void futureEndsTheCallWhenItCompletes() {
        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        CompletableFuture<ChatCompletion> future = new CompletableFuture<>();

        assertSame(future, OpenAiHooks.exit(call, future, null), "the app keeps its own future");
        assertTrue(observer.endsOf(call).isEmpty(), "not ended at method exit");

        future.complete(Sdk.chatCompletion());

        assertNull(observer.onlyEndOf(call).error());
        assertEquals("chatcmpl-1", call.responseId);
    }

    @Test
    void futureFailureIsUnwrappedFromCompletionException() {
        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        CompletableFuture<ChatCompletion> future = new CompletableFuture<>();
        OpenAiHooks.exit(call, future, null);
        RateLimitException failure = Sdk.rateLimit();

        future.completeExceptionally(new CompletionException(failure));

        assertSame(failure, observer.onlyEndOf(call).error());
        assertEquals(429, call.httpStatus);
    }

    @Test
    void failureOfADependentStageIsUnwrappedToo() {
        // the SDK's async services return `httpFuture.thenApply(parse)`: a parse/HTTP error arrives wrapped
        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        CompletableFuture<String> http = new CompletableFuture<>();
        RateLimitException failure = Sdk.rateLimit();
        CompletableFuture<ChatCompletion> parsed = http.thenApply(body -> {
            throw failure;
        });
        OpenAiHooks.exit(call, parsed, null);

        http.complete("{}");

        assertSame(failure, observer.onlyEndOf(call).error());
    }

    @Test
    void cancelledFutureIsIncompleteWithoutError() {
        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        CompletableFuture<ChatCompletion> future = new CompletableFuture<>();
        OpenAiHooks.exit(call, future, null);

        future.cancel(true);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
    }

    @Test
    void nestedHookedMethodDoesNotStartASecondCall() {
        // Impl.create calls WithRawResponseImpl.create on the same thread: only the outer one records
        InferenceCall outer = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        InferenceCall inner = OpenAiHooks.enter(PARAMS, OPTIONS, "create");

        assertNotNull(outer);
        assertNull(inner);
        assertEquals(List.of(outer), observer.started);

        Object raw = new Object();
        assertSame(raw, OpenAiHooks.exit(inner, raw, null));
        assertTrue(observer.endsOf(outer).isEmpty(), "the inner exit does not end the outer call");
        OpenAiHooks.exit(outer, Sdk.chatCompletion(), null);
        assertEquals(1, observer.endsOf(outer).size());

        // depth is back to zero: the next call on this thread is recorded again
        InferenceCall next = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        assertNotNull(next);
        OpenAiHooks.exit(next, null, null);
        assertEquals(2, observer.started.size());
    }

    @Test
    void unknownParamsStartNothingAndKeepTheDepthBalanced() {
        InferenceCall none = OpenAiHooks.enter(ModerationCreateParams.builder().input("x").build(), OPTIONS, "create");
        assertNull(none);
        Object result = new Object();
        assertSame(result, OpenAiHooks.exit(none, result, null));
        assertTrue(observer.started.isEmpty());

        InferenceCall next = OpenAiHooks.enter(PARAMS, OPTIONS, "create");
        assertNotNull(next);
        OpenAiHooks.exit(next, null, null);
    }

    @Test
    void failingObserverNeverReachesTheApp() {
        LlmLens.install(new CallObserver() {
            @Override public void onStart(Operation operation) {
                operation.scopeThread = Thread.currentThread(); // so that leave reaches onLeave too
                throw new IllegalStateException("observer");
            }
            @Override public void onLeave(Operation operation) { throw new IllegalStateException("observer"); }
            @Override public void onEnd(Operation operation) { throw new IllegalStateException("observer"); }
            @Override public void onInstrumentationError(String module, Throwable error) { throw new IllegalStateException("observer"); }
        });
        ChatCompletion completion = Sdk.chatCompletion();

        InferenceCall call = OpenAiHooks.enter(PARAMS, OPTIONS, "create");

        assertSame(completion, OpenAiHooks.exit(call, completion, null));
        assertTrue(call.isEnded());
    }
}
