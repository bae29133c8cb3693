package dev.llmlens.agent;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from the build (version.properties). */
public final class AgentVersion {

    public static final String VALUE = load();

    private AgentVersion() {}

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("/dev/llmlens/agent/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (Exception e) {
            return "dev";
        }
    }
}
