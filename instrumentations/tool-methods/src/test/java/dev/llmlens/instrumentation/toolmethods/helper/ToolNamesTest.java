package dev.llmlens.instrumentation.toolmethods.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.api.Test;

class ToolNamesTest {

    /** Shaped like LangChain4j's and Spring AI's annotations: a simple name Tool and a name attribute. */
    @Retention(RetentionPolicy.RUNTIME)
    @interface Tool {
        String name() default "";
    }

    static class Tools {
        @Tool(name = "get_weather")
        String weather(String city) {
            return city;
        }

        @Tool
        String lookup(String key) {
            return key;
        }
    }

    @Test
    void theAnnotationsNameWinsOverTheMethodsAndAnEmptyOneFallsBack() throws Exception {
        assertEquals("get_weather", ToolNames.nameOf(Tools.class.getDeclaredMethod("weather", String.class)));
        assertEquals("lookup", ToolNames.nameOf(Tools.class.getDeclaredMethod("lookup", String.class)));
        assertEquals("toString", ToolNames.nameOf(Object.class.getMethod("toString")));
    }
}
