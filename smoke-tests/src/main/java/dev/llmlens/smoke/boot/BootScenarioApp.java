package dev.llmlens.smoke.boot;

import dev.llmlens.smoke.app.OpenAiScenarios;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The same scenarios inside a Spring Boot fat jar: the SDK sits in BOOT-INF/lib and is loaded by
 * Spring Boot's LaunchedClassLoader, which the system class loader (and the agent) cannot see into.
 */
@SpringBootApplication
public class BootScenarioApp implements CommandLineRunner {

    public static final String SCENARIOS = "chat-sync,chat-stream-usage,chat-stream-async,responses-sync,embeddings-sync,error-429";

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BootScenarioApp.class);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        // a command-line app: the class path also holds WebFlux (Spring AI), which must not start a server
        app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        app.run(args);
    }

    @Override
    public void run(String... args) throws Exception {
        try (OpenAiScenarios scenarios = new OpenAiScenarios(args[0], System.out)) {
            for (String name : (args.length > 1 ? args[1] : SCENARIOS).split(",")) {
                scenarios.run(name);
            }
            System.out.println("SCENARIOS_DONE");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }
}
