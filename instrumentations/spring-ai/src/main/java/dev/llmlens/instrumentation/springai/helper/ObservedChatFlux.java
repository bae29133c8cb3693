package dev.llmlens.instrumentation.springai.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import org.reactivestreams.Subscription;
import org.springframework.ai.chat.model.ChatResponse;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * A chat model's stream, observed per subscription: each subscribe is a new model call, current while the
 * source subscribes (so an SDK call made then covers it), ended on complete, error or cancel.
 */
final class ObservedChatFlux extends Flux<ChatResponse> {

    private final Flux<ChatResponse> source;
    private final Object model;
    private final Object prompt;

    ObservedChatFlux(Flux<ChatResponse> source, Object model, Object prompt) {
        this.source = source;
        this.model = model;
        this.prompt = prompt;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ChatResponse> actual) {
        InferenceCall call = null;
        try {
            call = ChatRequests.toCall(model, prompt, true);
            LlmLens.start(call);
        } catch (Throwable t) {
            LlmLens.instrumentationError(SpringAiHooks.MODULE, t);
        }
        if (call == null) {
            source.subscribe(actual);
            return;
        }
        try {
            source.subscribe(new ObservingSubscriber(actual, call));
        } catch (Throwable t) {
            LlmLens.end(call, t);
            throw t;
        } finally {
            LlmLens.leave(call);
        }
    }

    static final class ObservingSubscriber implements CoreSubscriber<ChatResponse>, Subscription {

        private final CoreSubscriber<? super ChatResponse> actual;
        private final InferenceCall call;
        private volatile Subscription upstream;

        ObservingSubscriber(CoreSubscriber<? super ChatResponse> actual, InferenceCall call) {
            this.actual = actual;
            this.call = call;
        }

        @Override
        public Context currentContext() {
            // Spring AI's observations read the subscriber's context: it must reach them unchanged
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(ChatResponse chunk) {
            try {
                call.chunkSeen();
                if (chunk != null) {
                    ChatResponses.readChunk(call, chunk);
                }
            } catch (Throwable t) {
                LlmLens.instrumentationError(SpringAiHooks.MODULE, t);
            }
            actual.onNext(chunk);
        }

        @Override
        public void onError(Throwable error) {
            LlmLens.end(call, error);
            actual.onError(error);
        }

        @Override
        public void onComplete() {
            LlmLens.end(call);
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            // the app stopped listening (take(n), dispose): incomplete, not an error
            if (!call.isEnded()) {
                call.incomplete = true;
            }
            try {
                upstream.cancel();
            } finally {
                LlmLens.end(call);
            }
        }
    }
}
