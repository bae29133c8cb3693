package dev.llmlens.smoke.app;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Set;
import java.util.TreeSet;

/**
 * A runaway LangChain4j agent (the mock model keeps asking for the same tool call) and a flaky
 * plain tool method, for llm-lens's cost budgets and fault injection. The app knows nothing about
 * llm-lens: it prints what it saw, the exception type and message of a failed run included.
 */
public final class AgentLoopApp {

    public static final int PROBES = 200;

    public interface Stockroom {
        String ask(String question);
    }

    public static final class Inventory {
        @Tool("Counts the items of a kind in stock")
        public int stock(String item) {
            return 3;
        }
    }

    /** A tool no framework runs; the test names it in llmlens.tools.methods. */
    public static final class Probe {
        public String probe(int attempt) {
            return "ok " + attempt;
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        stdin.readLine(); // like a service: the first request comes once the app (and the agent) started
        Stockroom agent = AiServices.builder(Stockroom.class)
                .chatModel(OpenAiChatModel.builder().baseUrl(args[0]).apiKey("sk-test")
                        .modelName(MockOpenAiServer.MODEL_TOOL_LOOP).maxRetries(0).build())
                .tools(new Inventory()).build();
        try {
            System.out.println("loop: " + agent.ask("How many widgets are in stock?"));
        } catch (RuntimeException e) {
            System.out.println("loop: failed with " + e.getClass().getName() + ": " + e.getMessage());
        }
        Probe probe = new Probe();
        int failures = 0;
        Set<String> failureTypes = new TreeSet<>();
        for (int attempt = 0; attempt < PROBES; attempt++) {
            try {
                probe.probe(attempt);
            } catch (RuntimeException e) {
                failures++;
                failureTypes.add(e.getClass().getName());
            }
        }
        System.out.println("probes: " + failures + " failed " + failureTypes);
        System.out.println("SCENARIOS_DONE");
        System.out.flush();
        stdin.readLine();
    }
}
