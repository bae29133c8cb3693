package dev.llmlens.instrumentation.toolmethods;

import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import dev.llmlens.instrumentation.testing.InstalledHooks;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both advice classes inlined into real methods in this JVM: named ones (llmlens.tools.methods) and
 * annotated ones (a {@code @Tool} of the test's own, which the name lookup treats like the frameworks').
 * This module's tests are compiled without -parameters, so the named tools' parameters are argN.
 */
class ToolMethodsCaptureTest {

    @Retention(RetentionPolicy.RUNTIME)
    @interface Tool {
        String name() default "";
    }

    /** A tool's argument type without a JSON form of its own. */
    static class City {
        final String name;

        City(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return "City " + name;
        }
    }

    public static class NamedTools {
        public String search(String query, int limit, boolean exact, City city, Object nothing) {
            return "{\"hits\":" + limit + "}";
        }

        public double ratio(double part, long whole) {
            return part / whole;
        }

        public void remember(String note) {
            // nothing to return
        }

        public String failing(String reason) {
            throw new IllegalStateException(reason);
        }
    }

    public static class AnnotatedTools {
        @Tool(name = "weather")
        public City weather(String city, char unit) {
            return new City(city + " \"sunny\" " + unit);
        }
    }

    /** The module as configured for NamedTools, plus its annotated-method advice on AnnotatedTools. */
    static final class TestedModule implements InstrumentationModule {
        private final ToolMethodsModule module = new ToolMethodsModule();

        TestedModule() {
            module.configure(Map.of(ToolMethodsModule.KEY, NamedTools.class.getName() + "#search,"
                    + NamedTools.class.getName() + "#ratio," + NamedTools.class.getName() + "#remember,"
                    + NamedTools.class.getName() + "#failing")::get);
        }

        @Override
        public String name() {
            return "tool-methods-capture-test";
        }

        @Override
        public List<String> requiredClassNames() {
            return List.of();
        }

        @Override
        public List<String> helperClassNames() {
            return module.helperClassNames();
        }

        @Override
        public List<Hook> hooks() {
            List<Hook> hooks = new ArrayList<>(module.hooks());
            hooks.add(new Hook(AnnotatedTools.class.getName(), isAnnotatedWith(Tool.class), AnnotatedToolAdvice.class.getName()));
            return hooks;
        }
    }

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @BeforeAll
    static void hook() {
        InstalledHooks.ensure(new TestedModule());
    }

    @AfterEach
    void captureOff() {
        LlmLens.captureContent(false);
    }

    private ToolCall only() {
        List<ToolCall> tools = observer.started(ToolCall.class);
        assertEquals(1, tools.size());
        return tools.get(0);
    }

    @Test
    void namedToolsArgumentsAreAJsonObjectAndAStringResultIsItsText() {
        LlmLens.captureContent(true);
        new NamedTools().search("tea \"green\"\n", 3, true, new City("Paris"), null);

        ToolCall tool = only();
        assertEquals("search", tool.toolName);
        assertEquals("{\"arg0\":\"tea \\\"green\\\"\\n\",\"arg1\":3,\"arg2\":true,\"arg3\":\"City Paris\",\"arg4\":null}",
                tool.arguments);
        assertEquals("{\"hits\":3}", tool.result);
        assertNull(observer.onlyEndOf(tool).error());
    }

    @Test
    void primitiveResultsAreJsonScalarsAndVoidIsNoResult() {
        LlmLens.captureContent(true);
        NamedTools tools = new NamedTools();
        tools.ratio(1, 4);
        tools.ratio(1, 0);
        tools.remember("milk");

        List<ToolCall> calls = observer.started(ToolCall.class);
        assertEquals("{\"arg0\":1.0,\"arg1\":4}", calls.get(0).arguments);
        assertEquals("0.25", calls.get(0).result);
        assertEquals("\"Infinity\"", calls.get(1).result, "not a JSON number");
        assertEquals("{\"arg0\":\"milk\"}", calls.get(2).arguments);
        assertNull(calls.get(2).result);
        assertEquals(3, observer.ended.size());
    }

    @Test
    void aFailingToolKeepsItsErrorAndHasNoResult() {
        LlmLens.captureContent(true);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> new NamedTools().failing("offline"));

        ToolCall tool = only();
        assertEquals("{\"arg0\":\"offline\"}", tool.arguments);
        assertNull(tool.result);
        assertSame(thrown, observer.onlyEndOf(tool).error());
    }

    @Test
    void annotatedToolsAreCapturedUnderTheAnnotationsName() {
        LlmLens.captureContent(true);
        City answer = new AnnotatedTools().weather("Oslo", 'C');

        ToolCall tool = only();
        assertEquals("weather", tool.toolName);
        assertEquals("{\"arg0\":\"Oslo\",\"arg1\":\"C\"}", tool.arguments);
        assertEquals(answer.toString(), "City Oslo \"sunny\" C");
        assertEquals("\"City Oslo \\\"sunny\\\" C\"", tool.result);
    }

    /** With capture off, no argument or result is read: an argument whose toString would throw is never called. */
    @Test
    void withCaptureOffNothingIsReadOrRecorded() {
        City poisoned = new City("x") {
            @Override
            public String toString() {
                throw new AssertionError("read while capture is off");
            }
        };
        assertEquals("{\"hits\":1}", new NamedTools().search("q", 1, false, poisoned, null));
        new AnnotatedTools().weather("Oslo", 'C');

        List<ToolCall> tools = observer.started(ToolCall.class);
        assertEquals(List.of("search", "weather"), tools.stream().map(t -> t.toolName).toList());
        for (ToolCall tool : tools) {
            assertNull(tool.arguments);
            assertNull(tool.result);
            assertNull(observer.onlyEndOf(tool).error());
        }
        assertEquals(List.of(), observer.failures);
    }

    /** What a throwing toString costs the app when capture is on: nothing but the arguments. */
    @Test
    void anArgumentWhoseToStringThrowsLeavesTheArgumentsOutAndTheCallGoesOn() {
        LlmLens.captureContent(true);
        City poisoned = new City("x") {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };
        assertEquals("{\"hits\":2}", new NamedTools().search("q", 2, false, poisoned, null));

        ToolCall tool = only();
        assertNull(tool.arguments);
        assertEquals("{\"hits\":2}", tool.result);
        assertEquals(1, observer.failures.size());
        assertEquals("tool-methods", observer.failures.get(0).module());
    }
}
