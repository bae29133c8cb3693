package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** service.name when the user set none: the jar or main class, not OpenTelemetry's unknown_service:java. */
class OtelSdkFactoryTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty("sun.java.command");
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("sun.java.command");
        } else {
            System.setProperty("sun.java.command", saved);
        }
    }

    private static String nameFor(String command) {
        System.setProperty("sun.java.command", command);
        return OtelSdkFactory.defaultServiceName();
    }

    @Test
    void jarPathGivesTheFileNameWithoutExtension() {
        assertEquals("orders-service-1.2.0", nameFor("/opt/app/orders-service-1.2.0.jar --server.port=8080"));
        assertEquals("billing", nameFor("C:\\apps\\billing.jar"));
        assertEquals("app", nameFor("app.jar"));
    }

    @Test
    void mainClassGivesItsSimpleName() {
        assertEquals("ChatDemo", nameFor("com.example.demo.ChatDemo arg1 arg2"));
        assertEquals("Main", nameFor("Main"));
    }

    @Test
    void emptyOrMissingCommandFallsBackToOpenTelemetrysDefault() {
        assertEquals("unknown_service:java", nameFor(""));
        assertEquals("unknown_service:java", nameFor("   "));
        System.clearProperty("sun.java.command");
        assertEquals("unknown_service:java", OtelSdkFactory.defaultServiceName());
    }
}
