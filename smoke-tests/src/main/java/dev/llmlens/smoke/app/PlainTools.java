package dev.llmlens.smoke.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app whose "tools" are ordinary methods no framework runs, named to llm-lens with
 * llmlens.tools.methods. They log through SLF4J/Logback, as an app's code does: with the agent, the
 * log lines written inside a tool carry its trace and span id.
 */
public final class PlainTools {

    private static final Logger LOG = LoggerFactory.getLogger(PlainTools.class);

    public String lookupOrder(String id) {
        LOG.info("looking up order {}", id);
        return "order " + id + ": shipped";
    }

    public String refund(String id) {
        LOG.info("refunding order {}", id);
        throw new IllegalStateException("order " + id + " is not refundable");
    }

    /** Waits for a line on stdin first, as a service waits for its first request after start-up. */
    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        stdin.readLine();
        PlainTools tools = new PlainTools();
        System.out.println(tools.lookupOrder("A-1"));
        System.out.println(tools.lookupOrder("B-2"));
        try {
            tools.refund("A-1");
        } catch (IllegalStateException e) {
            System.out.println("refund failed: " + e.getMessage());
        }
        LOG.info("outside any tool");
        System.out.println("SCENARIOS_DONE");
        System.out.flush();
        stdin.readLine();
    }
}
