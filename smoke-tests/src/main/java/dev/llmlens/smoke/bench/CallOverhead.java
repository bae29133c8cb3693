package dev.llmlens.smoke.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Per-call cost as the app sees it: run once without and once with the agent, against the same
 * local mock, and compare. Prints the median wall time per call over batches and the bytes the
 * calling thread allocates per call (com.sun.management.ThreadMXBean).
 *
 * <pre>java [-javaagent:...] -cp ... dev.llmlens.smoke.bench.CallOverhead BASE_URL [warmup calls] [batches] [calls per batch]</pre>
 */
public final class CallOverhead {

    public static void main(String[] args) {
        String baseUrl = args[0];
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int perBatch = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-bench").maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("Say hello.").build();
        for (int i = 0; i < warmup; i++) {
            client.chat().completions().create(params);
        }
        double[] microsPerCall = new double[batches];
        double[] bytesPerCall = new double[batches];
        for (int b = 0; b < batches; b++) {
            long bytes = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                client.chat().completions().create(params);
            }
            microsPerCall[b] = (System.nanoTime() - start) / 1e3 / perBatch;
            bytesPerCall[b] = (threads.getThreadAllocatedBytes(thread) - bytes) / (double) perBatch;
        }
        client.close();
        System.out.printf("median %.1f us/call, median %.0f bytes allocated/call on the calling thread (%d batches x %d calls)%n",
                median(microsPerCall), median(bytesPerCall), batches, perBatch);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
