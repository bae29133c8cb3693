package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.awscore.eventstream.EventStreamResponseHandler;
import software.amazon.awssdk.core.async.SdkPublisher;

/**
 * Stands in for the app's event-stream handler: each event is observed just before the app's
 * subscriber (or the visitor the SDK's handler builder made) gets it, and the call ends when the SDK
 * reports the stream complete or failed, or when the app cancels its subscription.
 */
abstract class ObservedEventStream<R, E> implements EventStreamResponseHandler<R, E> {

    private final EventStreamResponseHandler<R, E> app;
    final InferenceCall call;

    ObservedEventStream(EventStreamResponseHandler<R, E> app, InferenceCall call) {
        this.app = app;
        this.call = call;
        LlmLens.endWhenUnreachable(this, call);
    }

    /** Reads one event into the call. @return whether it carries generated content. */
    abstract boolean observe(E event);

    @Override
    public void responseReceived(R response) {
        app.responseReceived(response);
    }

    @Override
    public void onEventStream(SdkPublisher<E> publisher) {
        app.onEventStream(new ObservingPublisher<>(publisher, this));
    }

    /** Ends the call first: whatever the app's handler does next (close a client, throw) cannot undo it. */
    @Override
    public void exceptionOccurred(Throwable error) {
        if (!call.isEnded()) {
            BedrockResponses.onError(call, LlmLens.causeOf(error));
        }
        LlmLens.end(call);
        app.exceptionOccurred(error);
    }

    @Override
    public void complete() {
        LlmLens.end(call);
        app.complete();
    }

    void onEvent(E event) {
        try {
            if (observe(event)) {
                call.chunkSeen();
            }
        } catch (Throwable t) {
            BedrockResponses.failed(t);
        }
    }

    /** The app stopped reading: not an error, the call is what was seen so far. */
    void onCancel() {
        if (!call.isEnded()) {
            call.incomplete = true;
            LlmLens.end(call);
        }
    }

    static final class ObservingPublisher<E> implements SdkPublisher<E> {
        private final SdkPublisher<E> source;
        private final ObservedEventStream<?, E> owner;

        ObservingPublisher(SdkPublisher<E> source, ObservedEventStream<?, E> owner) {
            this.source = source;
            this.owner = owner;
        }

        @Override
        public void subscribe(Subscriber<? super E> subscriber) {
            source.subscribe(new ObservingSubscriber<>(subscriber, owner));
        }
    }

    static final class ObservingSubscriber<E> implements Subscriber<E>, Subscription {
        private final Subscriber<? super E> app;
        private final ObservedEventStream<?, E> owner;
        private volatile Subscription upstream;

        ObservingSubscriber(Subscriber<? super E> app, ObservedEventStream<?, E> owner) {
            this.app = app;
            this.owner = owner;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            app.onSubscribe(this);
        }

        @Override
        public void onNext(E event) {
            owner.onEvent(event);
            app.onNext(event);
        }

        @Override
        public void onError(Throwable error) {
            app.onError(error);
        }

        @Override
        public void onComplete() {
            app.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            owner.onCancel();
            upstream.cancel();
        }
    }
}
