package dev.llmlens.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.langchain4j.helper.McpClientHooks;
import dev.llmlens.instrumentation.testing.InstalledHooks;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * langchain4j-mcp's tools/call request, built with the hooks applied, on the line the module is tested
 * with (1.0.0-beta5: params is a map; newest: a params object whose _meta the client may have set).
 */
class McpClientHooksTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String NEWEST_REQUEST = "dev.langchain4j.mcp.protocol.McpCallToolRequest";
    private static final String OLDEST_REQUEST = "dev.langchain4j.mcp.client.protocol.McpCallToolRequest";

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @BeforeAll
    static void hook() {
        InstalledHooks.ensure(new LangChain4jModule());
    }

    /** The recording observer, answering for every call with the traceparent the agent would give it. */
    @BeforeEach
    void withTraceparent() {
        LlmLens.install((CallObserver) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CallObserver.class},
                (proxy, method, args) -> method.getName().equals("traceparent") ? TRACEPARENT : method.invoke(observer, args)));
    }

    @Test
    void aToolsCallIsOneMcpToolCallWhoseRequestCarriesItsTraceparent() throws Exception {
        ToolExecutionRequest execution = ToolExecutionRequest.builder().id("call_1").name("get_weather")
                .arguments("{\"city\":\"Paris\"}").build();
        ToolCall call = McpClientHooks.calling(execution);
        assertNull(McpClientHooks.calling(execution), "an overload delegating inside the traced call adds none");
        Object sent = newRequest();
        McpClientHooks.called(call, null);
        Object outside = newRequest();

        assertEquals("get_weather", call.toolName);
        assertEquals("tools/call", call.mcpMethod);
        assertEquals("call_1", call.toolCallId);
        assertEquals("{\"city\":\"Paris\"}", call.arguments);
        assertNull(observer.onlyEndOf(call).error());
        assertEquals(1, observer.started.size());
        assertEquals(Map.of("traceparent", TRACEPARENT), metaOf(sent));
        assertNull(metaOf(outside), "no call under way: the request is left as it is");
        assertTrue(observer.failures.isEmpty(), observer.failures.toString());
    }

    private static Object newRequest() throws ReflectiveOperationException {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode().put("city", "Paris");
        return requestClass().getConstructor(Long.class, String.class, ObjectNode.class).newInstance(1L, "get_weather", arguments);
    }

    private static Class<?> requestClass() throws ClassNotFoundException {
        try {
            return Class.forName(NEWEST_REQUEST);
        } catch (ClassNotFoundException e) {
            return Class.forName(OLDEST_REQUEST);
        }
    }

    private static Object metaOf(Object request) throws ReflectiveOperationException {
        Object params = request.getClass().getMethod("getParams").invoke(request);
        if (params instanceof Map<?, ?> map) {
            return map.get("_meta");
        }
        return params.getClass().getMethod("getMeta").invoke(params);
    }
}
