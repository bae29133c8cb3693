package dev.llmlens.agent.redact;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A corpus of generated (never real) secrets in the places they turn up — SDK error messages, URLs,
 * headers, config dumps, JSON — each of which must disappear, and of near-misses that must survive.
 */
class RedactorTest {

    private static final Random RANDOM = new Random(20261122);
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String B64 = ALNUM + "+/";

    private final Redactor redactor = Redactor.builtIn();

    private static String random(String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String jwt() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes()) + "."
                + url.encodeToString(("{\"sub\":\"" + random(ALNUM, 12) + "\",\"iat\":1700000000}").getBytes()) + "."
                + random(ALNUM + "-_", 43);
    }

    /** (text as it would appear, the secret in it) */
    private record Case(String text, String secret) {}

    static List<Case> secrets() {
        List<Case> corpus = new ArrayList<>();
        List<IntFunction<Case>> makers = List.of(
                i -> { String s = "sk-proj-" + random(ALNUM + "-_", 40) + "T3BlbkFJ" + random(ALNUM, 20);
                       return new Case("Incorrect API key provided: " + s + ". You can find your API key at ...", s); },
                i -> { String s = "sk-" + random(ALNUM, 48); return new Case("OPENAI_API_KEY=" + s, s); },
                i -> { String s = "sk-svcacct-" + random(ALNUM + "_-", 60); return new Case("key " + s + " rejected", s); },
                i -> { String s = "sk-ant-api03-" + random(ALNUM + "-_", 93) + "AA";
                       return new Case("{\"x-api-key\": \"" + s + "\"}", s); },
                i -> { String s = "AIza" + random(ALNUM + "-_", 35); return new Case("https://x.googleapis.com/v1?key=" + s, s); },
                i -> { String s = "AKIA" + random(UPPER_DIGITS, 16); return new Case("Credential=" + s + "/20261122/us-east-1", s); },
                i -> { String s = random(B64, 40); return new Case("aws_secret_access_key = " + s, s); },
                i -> { String s = "ghp_" + random(ALNUM, 36); return new Case("git clone https://" + s + "@github.com/a/b", s); },
                i -> { String s = "xoxb-" + random("0123456789", 12) + "-" + random(ALNUM, 24); return new Case("slack " + s, s); },
                i -> { String s = "sk_live_" + random(ALNUM, 24); return new Case("stripe=" + s, s); },
                i -> { String s = "hf_" + random(ALNUM, 34); return new Case("HF_TOKEN " + s, s); },
                i -> { String s = "gsk_" + random(ALNUM, 52); return new Case("Authorization: Bearer " + s, s); },
                i -> { String s = random(ALNUM + "._-", 32); return new Case("Authorization: Bearer " + s, s); },
                i -> { String s = jwt(); return new Case("id_token=" + s + "&state=1", s); },
                i -> { String s = jwt(); return new Case("token expired: " + s, s); },
                i -> { String s = random(ALNUM, 12) + "!" + random(ALNUM, 4); return new Case("password=" + s + " user=bob", s); },
                i -> { String s = random(ALNUM, 16); return new Case("{\"db_password\": \"" + s + "\", \"user\": \"bob\"}", s); },
                i -> { String s = random(ALNUM, 20); return new Case("client_secret: " + s, s); },
                i -> { String s = random(ALNUM, 10); return new Case("jdbc:postgresql://app:" + s + "@db:5432/prod", s); },
                i -> { String s = random(B64, 86) + "=="; return new Case("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + s
                       + ";EndpointSuffix=core.windows.net", s); },
                i -> { String s = random(B64, 64); return new Case("-----BEGIN RSA PRIVATE KEY-----\n" + s
                       + "\n-----END RSA PRIVATE KEY-----", s); },
                i -> { String s = random(B64, 64); return new Case("key: -----BEGIN PRIVATE KEY-----\n" + s + "\n", s); },
                i -> { String s = Base64.getEncoder().encodeToString(("bob:" + random(ALNUM, 12)).getBytes());
                       return new Case("Authorization: Basic " + s, s); });
        for (int round = 0; round < 5; round++) {
            for (IntFunction<Case> maker : makers) {
                corpus.add(maker.apply(round));
            }
        }
        return corpus;
    }

    static final List<String> NEAR_MISSES = List.of(
            "sk-learn is a Python library",
            "the skeleton-key approach",
            "task-1234 finished",
            "AKIA is a prefix of AWS access key ids",
            "set the password in the vault",
            "password=",
            "token count: 42",
            "max_tokens=256 temperature=0.2",
            "gen_ai.usage.input_tokens=42 gen_ai.usage.output_tokens=17",
            "Bearer",
            "git sha 3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345",
            "trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331",
            "request id 123e4567-e89b-12d3-a456-426614174000",
            "https://api.openai.com/v1/chat/completions",
            "jdbc:postgresql://db:5432/prod",
            "model gpt-4o-mini-2024-07-18 is not priced",
            "com.openai.errors.RateLimitException: 429 Too Many Requests",
            "eyJ alone is not a token",
            "the file ends with -----END CERTIFICATE-----",
            "author=alice reviewer=bob",
            "tokens_per_minute exceeded",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "sk-some-long-kebab-case-feature-name");

    @Test
    void everySecretInTheCorpusIsRemovedAndTheTextAroundItStays() {
        List<Case> corpus = secrets();
        assertEquals(115, corpus.size(), "5 generated samples of 23 shapes");
        List<Executable> checks = new ArrayList<>();
        for (Case c : corpus) {
            checks.add(() -> {
                String redacted = redactor.redact(c.text());
                assertFalse(redacted.contains(c.secret()), () -> "leaked: " + redacted);
                assertTrue(redacted.contains("[REDACTED:"), redacted);
            });
        }
        assertAll(checks);
        assertEquals("Incorrect API key provided: [REDACTED:openai_key]. You can find your API key at ...",
                redactor.redact(corpus.get(0).text()));
        assertEquals("password=[REDACTED:secret_value] user=bob", redactor.redact(corpus.get(15).text()));
    }

    @Test
    void nearMissesSurviveUnchanged() {
        assertAll(NEAR_MISSES.stream().map(text -> () -> assertEquals(text, redactor.redact(text))));
    }

    @Test
    void userPatternsAddToTheBuiltInOnesAndABadOneIsReported() {
        List<String> problems = new ArrayList<>();
        Redactor custom = Redactor.withUserPatterns("ACME-[0-9]{6}, (unclosed", problems);
        assertEquals("customer ACME-123456 key [REDACTED:openai_key]".replace("ACME-123456", "[REDACTED:custom]"),
                custom.redact("customer ACME-123456 key sk-" + "a".repeat(10) + random(ALNUM, 30)));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("(unclosed"), problems.get(0));
        assertEquals("ACME-123456", Redactor.builtIn().redact("ACME-123456"));
    }

    @Test
    void longCapturedTextDoesNotOverflowTheStack() {
        String text = "ab-".repeat(20_000) + " db_password=hunter2hunter2";
        String redacted = Redactor.builtIn().redact(text);
        org.junit.jupiter.api.Assertions.assertTrue(redacted.endsWith("db_password=[REDACTED:secret_value]"), redacted.substring(redacted.length() - 60));
    }
}
