package dev.llmlens.smoke.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Spring AI's ChatClient on its OpenAI model, against a local mock: one call that declares no tools,
 * then one whose tool the model asks for, so Spring AI runs its tool loop. Args: the mock's base URL.
 */
public final class SpringAiScenarios {

    public static final class WeatherTools {
        @Tool(description = "The current weather in a city")
        public String weather(String city) {
            return "sunny in " + city;
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        stdin.readLine();
        OpenAiChatModel model = OpenAiChatModel.builder()
                .openAiApi(OpenAiApi.builder().baseUrl(args[0]).apiKey("test-key").build())
                .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
                .build();
        ChatClient client = ChatClient.create(model);
        System.out.println("plain: " + client.prompt("Say hello").call().content());
        System.out.println("tools: " + client.prompt("What is the weather in Paris?").tools(new WeatherTools()).call().content());
        System.out.println("SCENARIOS_DONE");
        System.out.flush();
        stdin.readLine();
    }
}
