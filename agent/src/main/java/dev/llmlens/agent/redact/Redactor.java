package dev.llmlens.agent.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Removes secrets from text before it leaves the process: API keys of the major providers and
 * clouds, bearer tokens, JWTs, private keys, and the values of password-like keys in key=value text
 * and JSON, plus the user's own patterns. A secret becomes {@code [REDACTED:kind]}; the text around
 * it stays, so an error message is still readable.
 */
public final class Redactor {

    private record Rule(String kind, Pattern pattern, int group) {}

    /** The value of a password-like key, in {@code key=value}, {@code key: value} or {@code "key": "value"}. */
    private static final String SECRET_KEYS = "(?i)(?<![A-Za-z0-9])((?:[a-z0-9_-]{0,48}[_-])?(?:password|passwd|pwd|secret|api[_-]?key"
            // bounded character classes, not repeated groups: a group loop recurses per segment and overflows the
            // stack on a few KB of captured text, and an unbounded class backtracks quadratically
            + "|access[_-]?key|private[_-]?key|token|client[_-]?secret|auth)(?:[_-][a-z0-9_-]{0,48}[a-z0-9])?)";

    private static final List<Rule> BUILT_IN = List.of(
            rule("private_key", "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"),
            rule("jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
            rule("anthropic_key", "\\bsk-ant-[a-z]+\\d{2}-[A-Za-z0-9_-]{20,}"),
            // a digit somewhere: real keys are random, a long kebab-case name after "sk-" is not a key
            rule("openai_key", "\\bsk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{20,}"),
            rule("google_api_key", "\\bAIza[0-9A-Za-z_-]{35}\\b"),
            rule("aws_access_key_id", "\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b"),
            rule("github_token", "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\\b"),
            rule("slack_token", "\\bxox[abprs]-[A-Za-z0-9-]{10,}"),
            rule("stripe_key", "\\b[rs]k_(?:live|test)_[0-9A-Za-z]{20,}\\b"),
            rule("huggingface_token", "\\bhf_[A-Za-z0-9]{30,}\\b"),
            rule("groq_key", "\\bgsk_[A-Za-z0-9]{40,}\\b"),
            rule("xai_key", "\\bxai-[A-Za-z0-9]{40,}\\b"),
            rule("azure_account_key", "(?i)(?<=AccountKey=)[A-Za-z0-9+/=]{40,}"),
            rule("aws_secret_key", "(?i)(?<=aws_secret_access_key[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?)[A-Za-z0-9/+=]{40}"),
            rule("bearer_token", "(?i)(?<=\\b(?:bearer|token)\\s)[A-Za-z0-9._~+/=-]{16,}"),
            rule("basic_auth", "(?i)(?<=\\bbasic\\s)[A-Za-z0-9+/=]{12,}"),
            rule("url_password", "(?<=://[^/\\s:@]{1,64}:)[^@\\s/]{3,}(?=@)"),
            new Rule("secret_value", Pattern.compile(SECRET_KEYS
                    + "(\"?\\s{0,3}[:=]\\s{0,3}\"?)(?!\\[REDACTED)([^\\s\",;&'}]{4,})"), 3));

    private static volatile Redactor active = new Redactor(BUILT_IN);

    /** The redactor every output uses (spans' exception events, the agent's log); built-in rules until configured. */
    public static Redactor active() {
        return active;
    }

    public static void install(Redactor redactor) {
        active = redactor;
    }

    private final List<Rule> rules;

    private Redactor(List<Rule> rules) {
        this.rules = rules;
    }

    private static Rule rule(String kind, String regex) {
        return new Rule(kind, Pattern.compile(regex), 0);
    }

    public static Redactor builtIn() {
        return new Redactor(BUILT_IN);
    }

    /**
     * The built-in rules plus the user's patterns ({@code llmlens.redact.patterns}, comma-separated;
     * write a comma inside a pattern as {@code \x2C}). A pattern that does not compile is reported in
     * {@code problems} and skipped.
     */
    public static Redactor withUserPatterns(String patterns, List<String> problems) {
        List<Rule> rules = new ArrayList<>(BUILT_IN);
        if (patterns != null) {
            for (String pattern : patterns.split(",")) {
                if (pattern.isBlank()) {
                    continue;
                }
                try {
                    rules.add(new Rule("custom", Pattern.compile(pattern.trim()), 0));
                } catch (PatternSyntaxException e) {
                    problems.add("ignoring llmlens.redact.patterns entry '" + pattern.trim() + "': " + e.getDescription());
                }
            }
        }
        return new Redactor(List.copyOf(rules));
    }

    /** {@code text} with every secret replaced; the same instance when there was none. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : rules) {
            Matcher matcher = rule.pattern().matcher(result);
            if (!matcher.find()) {
                continue;
            }
            StringBuilder out = new StringBuilder(result.length());
            int last = 0;
            do {
                int start = matcher.start(rule.group());
                int end = matcher.end(rule.group());
                out.append(result, last, start).append("[REDACTED:").append(rule.kind()).append(']');
                last = end;
            } while (matcher.find());
            out.append(result, last, result.length());
            result = out.toString();
        }
        return result;
    }
}
