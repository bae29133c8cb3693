package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** An OpenAI SDK pointed at another vendor must be priced and labelled as that vendor. */
class ProviderHostsTest {

    @Test
    void knownOpenAiCompatibleHostsMapToTheirProvider() {
        assertEquals("groq", ProviderHosts.resolve("openai", "api.groq.com"));
        assertEquals("deepseek", ProviderHosts.resolve("openai", "api.deepseek.com"));
        assertEquals("mistral_ai", ProviderHosts.resolve("openai", "api.mistral.ai"));
        assertEquals("gcp.gemini", ProviderHosts.resolve("openai", "generativelanguage.googleapis.com"));
        assertEquals("openrouter", ProviderHosts.resolve("openai", "openrouter.ai"));
    }

    @Test
    void openAiItselfAndUnknownHostsStayOpenAi() {
        assertEquals("openai", ProviderHosts.resolve("openai", "api.openai.com"));
        assertEquals("openai", ProviderHosts.resolve("openai", "localhost"));
        assertEquals("openai", ProviderHosts.resolve("openai", null));
    }

    @Test
    void otherProvidersAreNeverRemapped() {
        // only the OpenAI protocol is spoken by several vendors; a native SDK knows its own provider
        assertEquals("anthropic", ProviderHosts.resolve("anthropic", "api.groq.com"));
        assertEquals("azure.ai.openai", ProviderHosts.resolve("azure.ai.openai", "api.groq.com"));
        assertNull(ProviderHosts.resolve(null, "api.groq.com"));
    }
}
