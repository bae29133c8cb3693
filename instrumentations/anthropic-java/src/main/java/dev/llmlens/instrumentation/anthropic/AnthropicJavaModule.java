package dev.llmlens.instrumentation.anthropic;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.ArrayList;
import java.util.List;

/**
 * com.anthropic:anthropic-java 2.52+ (and the 3.x line). Hooks the Messages service implementations
 * (plain and beta, blocking and async) that every client path reaches, and the beta tool runner: its
 * iteration is an agent run, each tool it runs a tool call.
 *
 * <p>The tool hooks name private methods of {@code BetaToolRunner} that both lines share, and the
 * tool-code classes of each line ({@code BetaRunnableTool} in 3.x, {@code RunnableTool$FromClass} in
 * 2.x); a hook whose class is absent in a version simply never matches.
 */
public final class AnthropicJavaModule implements InstrumentationModule {

    private static final String SERVICES = "com.anthropic.services.";
    private static final String MODELS = "com.anthropic.models.";
    private static final String HELPER = "dev.llmlens.instrumentation.anthropic.helper.";
    private static final String TOOL_RUNNER = "com.anthropic.helpers.BetaToolRunner";

    @Override
    public String name() {
        return "anthropic-java";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                "com.anthropic.core.ClientOptions",
                "com.anthropic.core.RequestOptions",
                "com.anthropic.core.http.StreamResponse",
                "com.anthropic.core.http.AsyncStreamResponse",
                "com.anthropic.models.messages.MessageCreateParams",
                "com.anthropic.models.beta.messages.MessageCreateParams",
                TOOL_RUNNER);
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "SdkTracing",
                HELPER + "SdkTracing$Probe",
                HELPER + "Endpoint",
                HELPER + "ToolRunnerScope",
                HELPER + "AnthropicRequests",
                HELPER + "AnthropicResponses",
                HELPER + "AnthropicContent",
                HELPER + "ObservedStream",
                HELPER + "ObservedStream$ObservingIterator",
                HELPER + "ObservedAsyncStream",
                HELPER + "ObservedAsyncStream$ObservingHandler",
                HELPER + "AnthropicHooks",
                HELPER + "ObservedRun",
                HELPER + "ObservedRun$RunIterator",
                HELPER + "ObservedRun$RunStreams",
                HELPER + "ToolRunnerHooks");
    }

    @Override
    public List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        messages(hooks, "blocking.MessageServiceImpl", "messages.MessageCreateParams");
        messages(hooks, "async.MessageServiceAsyncImpl", "messages.MessageCreateParams");
        messages(hooks, "blocking.beta.MessageServiceImpl", "beta.messages.MessageCreateParams");
        messages(hooks, "async.beta.MessageServiceAsyncImpl", "beta.messages.MessageCreateParams");
        toolRunner(hooks);
        return hooks;
    }

    /**
     * The parsed layer's create and createStreaming, and the raw layer's create for apps that call
     * {@code withRawResponse()} themselves (the parsed layer goes through it; a call depth keeps that
     * to one call). The raw createStreaming is not hooked: its stream is only parsed by the app.
     */
    private static void messages(List<Hook> hooks, String service, String params) {
        String impl = SERVICES + service;
        var signature = takesArguments(2)
                .and(takesArgument(0, named(MODELS + params)))
                .and(takesArgument(1, named("com.anthropic.core.RequestOptions")));
        hooks.add(new Hook(impl, named("create").or(named("createStreaming")).and(signature),
                ServiceCallAdvice.class.getName()));
        hooks.add(new Hook(impl + "$WithRawResponseImpl", named("create").and(signature),
                ServiceCallAdvice.class.getName()));
    }

    private static void toolRunner(List<Hook> hooks) {
        hooks.add(new Hook(TOOL_RUNNER, named("iterator").and(takesArguments(0))
                .or(named("streaming").and(takesArguments(0))), ToolRunnerAdvice.class.getName()));
        hooks.add(new Hook(TOOL_RUNNER, named("generateGenericToolUseResult").and(takesArguments(3))
                .and(takesArgument(0, named(MODELS + "beta.messages.BetaToolUseBlockParam")))
                .and(takesArgument(1, named("java.util.Map"))), ToolUseAdvice.class.getName()));
        // where the app's tool code runs: its exception is caught by the runner and turned into an
        // error result, so this is the only place that sees it
        hooks.add(new Hook("com.anthropic.helpers.BetaRunnableTool", named("run$anthropic_java_core")
                .and(takesArguments(1)), ToolCodeAdvice.class.getName()));
        hooks.add(new Hook(MODELS + "beta.messages.RunnableTool$FromClass", named("run").and(takesArguments(1))
                .and(returns(named(MODELS + "beta.messages.BetaToolResultBlockParam$Content"))),
                ToolCodeAdvice.class.getName()));
    }
}
