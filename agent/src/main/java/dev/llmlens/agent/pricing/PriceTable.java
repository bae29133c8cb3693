package dev.llmlens.agent.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Model prices keyed by (provider, model): the bundled, dated table, optionally merged with a user
 * file ({@code llmlens.pricing.file}). Immutable apart from its lookup cache; safe to share between
 * threads.
 *
 * <h2>File format</h2>
 *
 * <pre>{@code
 * { "date": "2026-11-22", "currency": "USD", "unit": "per 1M tokens",
 *   "models": [
 *     { "providers": ["openai", "azure.ai.openai"], "model": "gpt-4o",
 *       "input": 2.50, "output": 10.00, "cache_read": 1.25,
 *       "aliases": ["gpt-4o-\\d{4}-\\d{2}-\\d{2}"], "examples": ["gpt-4o-2024-08-06"],
 *       "source": "https://platform.openai.com/docs/pricing" },
 *     { "providers": ["anthropic"], "model": "claude-sonnet-4-5",
 *       "input": 3, "output": 15, "cache_read": 0.30, "cache_write": 3.75,
 *       "tiers": [ { "above_input_tokens": 200000, "input": 6, "output": 22.5, "cache_read": 0.6, "cache_write": 7.5 } ] },
 *     { "providers": ["openai"], "model": "text-embedding-3-small", "embedding": true, "input": 0.02 }
 *   ] }
 * }</pre>
 *
 * <ul>
 *   <li>Prices are USD per 1M tokens, finite and &gt; 0. {@code 0} is accepted only in an entry
 *       with {@code "free": true} (e.g. a self-hosted model), so a typo never silently prices calls
 *       at $0.
 *   <li>{@code cache_read} / {@code cache_write} default to the input price (of the entry, or of
 *       the tier), never 0.
 *   <li>{@code "embedding": true}: {@code output} may be omitted and then is 0, since embedding
 *       APIs report no output tokens; the input price must still be set.
 *   <li>{@code tiers}: the whole call is billed at the tier's prices once its input tokens (incl.
 *       cache) exceed {@code above_input_tokens}; the highest matching tier wins. Missing tier
 *       cache prices default to the tier's input.
 *   <li>{@code providers} (or {@code provider}): OpenTelemetry {@code gen_ai.provider.name} values
 *       the entry applies to.
 *   <li>Lookup: the exact model id (whitespace-trimmed, case-sensitive) first, then the {@code
 *       aliases}, Java regexes that must match the whole id, in file order. Each of {@code
 *       examples} must match the id or an alias.
 *   <li>{@code date} (ISO) is required in the bundled table and optional in an override file;
 *       {@code source} defaults to the file name; {@code currency} and {@code unit}, if present,
 *       must be "USD" and "per 1M tokens"; {@code note} is a free-text comment. Unknown fields are
 *       rejected (a misspelt "cache_reads" would otherwise fall back to the input price unnoticed).
 *   <li>An override entry replaces the bundled entry with the same (provider, model); if it
 *       declares no aliases it keeps the bundled entry's aliases. Override aliases are tried before
 *       bundled ones.
 * </ul>
 */
public final class PriceTable {
    private static final String RESOURCE = "prices.json";
    private static final int MAX_CACHED = 1000;
    private static final Set<String> TOP_FIELDS =
            Set.of("date", "currency", "unit", "note", "models");
    private static final Set<String> ENTRY_FIELDS =
            Set.of(
                    "provider",
                    "providers",
                    "model",
                    "input",
                    "output",
                    "cache_read",
                    "cache_write",
                    "tiers",
                    "aliases",
                    "examples",
                    "source",
                    "free",
                    "embedding",
                    "note");
    private static final Set<String> TIER_FIELDS =
            Set.of("above_input_tokens", "input", "output", "cache_read", "cache_write");

    // a plain class, not a record: record equals/hashCode bootstrap invokedynamic machinery on
    // first use (startup)
    private static final class Key {
        final String provider;
        final String model;
        final int hash;

        Key(String provider, String model) {
            this.provider = provider;
            this.model = model;
            this.hash = 31 * provider.hashCode() + model.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && k.hash == hash
                    && k.provider.equals(provider)
                    && k.model.equals(model);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Alias(Pattern pattern, ModelPrice price) {}

    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");

    private final String date;
    private final String sourceName;
    private final List<ModelPrice> entries;
    private final Map<Key, ModelPrice> exact = new HashMap<>();
    private final Map<String, List<Alias>> aliases = new HashMap<>();
    private final Map<String, Pattern> patterns;
    // misses are cached too (Optional.empty()): unknown models recur on every call of an unpriced
    // app
    private final Map<Key, Optional<ModelPrice>> cache = new ConcurrentHashMap<>();

    /**
     * {@code compiled}: patterns already compiled (by the parser, or by merged tables), so each
     * regex compiles once.
     */
    private PriceTable(
            String date,
            String sourceName,
            List<ModelPrice> entries,
            Map<String, Pattern> compiled) {
        this.date = date;
        this.sourceName = sourceName;
        this.entries = List.copyOf(entries);
        this.patterns = new HashMap<>(compiled);
        for (ModelPrice p : this.entries) {
            exact.putIfAbsent(new Key(p.provider(), p.model()), p);
            for (String regex : p.aliases()) {
                Pattern pattern = patterns.get(regex);
                if (pattern == null) patterns.put(regex, pattern = Pattern.compile(regex));
                List<Alias> list = aliases.get(p.provider());
                if (list == null) aliases.put(p.provider(), list = new ArrayList<>());
                list.add(new Alias(pattern, p));
            }
        }
    }

    /** The table shipped in the agent jar. Parses on every call: callers keep the result. */
    public static PriceTable bundled() {
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(
                        "bundled price table " + RESOURCE + " is missing from the agent jar");
            PriceTable table = parse(in, "bundled " + RESOURCE);
            if (table.date == null)
                throw new IllegalStateException("bundled price table " + RESOURCE + " has no date");
            return table;
        } catch (IOException e) {
            throw new IllegalStateException("bundled price table is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a table; the {@link IOException}'s message names {@code sourceName}, the entry and the
     * field at fault.
     */
    public static PriceTable parse(InputStream in, String sourceName) throws IOException {
        Map<String, Object> root;
        try (JsonParser parser = new JsonFactory().createParser(in)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller owns the stream
            if (parser.nextToken() != JsonToken.START_OBJECT)
                throw new JsonParseException(parser, "expected a JSON object");
            root = readObject(parser);
            if (parser.nextToken() != null)
                throw new JsonParseException(
                        parser, "unexpected content after the top-level object");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where =
                    at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IOException(
                    sourceName + ": invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(sourceName + ": invalid JSON: " + e.getMessage(), e);
        }
        return new Parser(sourceName).table(root);
    }

    /**
     * Reads the object whose START_OBJECT is the current token into maps, lists, strings, numbers
     * and booleans.
     */
    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new java.util.LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            if (object.put(key, readValue(parser)) != null)
                throw new JsonParseException(parser, "duplicate key \"" + key + "\"");
        }
        return object;
    }

    private static Object readValue(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT:
                return readObject(parser);
            case START_ARRAY:
                {
                    List<Object> array = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) array.add(readValue(parser));
                    return array;
                }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(parser, "unexpected " + parser.currentToken());
        }
    }

    /** This table with {@code override}'s entries winning; see the class comment. */
    public PriceTable mergedWith(PriceTable override) {
        if (override == null) return this;
        List<ModelPrice> merged = new ArrayList<>(entries.size() + override.entries.size());
        for (ModelPrice o : override.entries) {
            ModelPrice replaced = exact.get(new Key(o.provider(), o.model()));
            merged.add(
                    replaced == null || !o.aliases().isEmpty()
                            ? o
                            : new ModelPrice(
                                    o.provider(),
                                    o.model(),
                                    o.input(),
                                    o.output(),
                                    o.cacheRead(),
                                    o.cacheWrite(),
                                    o.tiers(),
                                    replaced.aliases(),
                                    replaced.examples(),
                                    o.source()));
        }
        for (ModelPrice b : entries) {
            if (!override.exact.containsKey(new Key(b.provider(), b.model()))) merged.add(b);
        }
        Map<String, Pattern> compiled = new HashMap<>(patterns);
        compiled.putAll(override.patterns);
        return new PriceTable(
                date() + " + " + override.sourceName,
                sourceName + " + " + override.sourceName,
                merged,
                compiled);
    }

    /** The table's date, e.g. "2026-11-22"; "undated" for an override file without one. */
    public String date() {
        return date == null ? "undated" : date;
    }

    /** Number of (provider, model) entries; an entry listing two providers counts twice. */
    public int size() {
        return entries.size();
    }

    public List<ModelPrice> entries() {
        return entries;
    }

    /**
     * The price of {@code model} at {@code provider}, or null when unknown (the call is then
     * unpriced, not free).
     */
    public ModelPrice find(String provider, String model) {
        if (provider == null || model == null) return null;
        Key key = new Key(provider.strip(), model.strip());
        Optional<ModelPrice> hit = cache.get(key);
        if (hit == null) {
            hit = Optional.ofNullable(lookup(key));
            // bounded: an app sending ever-new ids (fine-tune names, ARNs) must not grow memory
            // without limit
            if (cache.size() < MAX_CACHED) cache.putIfAbsent(key, hit);
        }
        return hit.orElse(null);
    }

    private ModelPrice lookup(Key key) {
        ModelPrice price = exact.get(key);
        if (price != null || key.model.isEmpty()) return price;
        for (Alias alias : aliases.getOrDefault(key.provider, List.of())) {
            if (alias.pattern().matcher(key.model).matches()) return alias.price();
        }
        return null;
    }

    @Override
    public String toString() {
        return "PriceTable[" + date() + ", " + entries.size() + " entries from " + sourceName + "]";
    }

    /** Validating reader of the JSON tree; every message starts with the source name. */
    private static final class Parser {
        private final String source;
        private final Map<String, Pattern> compiled = new HashMap<>();

        Parser(String source) {
            this.source = source;
        }

        PriceTable table(Object rootValue) throws IOException {
            Map<?, ?> root = object(rootValue, "top level");
            checkFields(root, TOP_FIELDS, "top level");
            String date = optionalString(root, "date", "top level");
            if (date != null && !isIsoDate(date)) {
                throw fail(
                        "top level",
                        "'date' must be an ISO date (yyyy-MM-dd), got \"" + date + "\"");
            }
            expectConstant(root, "currency", "USD");
            expectConstant(root, "unit", "per 1M tokens");
            if (!root.containsKey("models")) throw fail("top level", "missing field 'models'");
            List<?> models = list(root.get("models"), "top level", "models");
            List<ModelPrice> entries = new ArrayList<>();
            Map<Key, String> seen = new HashMap<>();
            for (int i = 0; i < models.size(); i++) {
                for (ModelPrice p : entry(object(models.get(i), "models[" + i + "]"), i)) {
                    String previous =
                            seen.putIfAbsent(new Key(p.provider(), p.model()), "models[" + i + "]");
                    if (previous != null) {
                        throw fail(
                                "models[" + i + "] (" + p.model() + ")",
                                "duplicate entry for provider '"
                                        + p.provider()
                                        + "' (already in "
                                        + previous
                                        + ")");
                    }
                    entries.add(p);
                }
            }
            return new PriceTable(date, source, entries, compiled);
        }

        // not LocalDate.parse: DateTimeFormatter drags locale data into the agent's startup
        private static boolean isIsoDate(String s) {
            Matcher m = ISO_DATE.matcher(s);
            if (!m.matches()) return false;
            try {
                LocalDate.of(
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                return true;
            } catch (DateTimeException e) {
                return false;
            }
        }

        private List<ModelPrice> entry(Map<?, ?> e, int index) throws IOException {
            String where = "models[" + index + "]";
            checkFields(e, ENTRY_FIELDS, where);
            String model = optionalString(e, "model", where);
            if (model == null || model.isBlank()) throw fail(where, "missing field 'model'");
            model = model.strip();
            where += " (" + model + ")";

            List<String> providers = providers(e, where);
            boolean free = bool(e, "free", where);
            boolean embedding = bool(e, "embedding", where);
            double input = price(e, "input", where, free, Double.NaN);
            double output =
                    price(e, "output", where, free || embedding, embedding ? 0 : Double.NaN);
            double cacheRead = price(e, "cache_read", where, free, input);
            double cacheWrite = price(e, "cache_write", where, free, input);
            List<ModelPrice.Tier> tiers = tiers(e, where, free, embedding);

            List<String> aliases = strings(e, "aliases", where);
            List<Pattern> patterns = new ArrayList<>();
            for (String alias : aliases) {
                try {
                    Pattern pattern = compiled.get(alias);
                    if (pattern == null) compiled.put(alias, pattern = Pattern.compile(alias));
                    patterns.add(pattern);
                } catch (PatternSyntaxException x) {
                    throw fail(
                            where,
                            "alias \""
                                    + alias
                                    + "\" is not a valid regex: "
                                    + x.getDescription()
                                    + " near index "
                                    + x.getIndex());
                }
            }
            List<String> examples = strings(e, "examples", where);
            for (String example : examples) {
                if (!example.equals(model) && !matchesAny(patterns, example)) {
                    throw fail(
                            where,
                            "example \""
                                    + example
                                    + "\" matches neither the model id nor an alias");
                }
            }
            String declaredSource = optionalString(e, "source", where);
            String priceSource =
                    declaredSource == null || declaredSource.isBlank()
                            ? source
                            : declaredSource.strip();

            List<ModelPrice> out = new ArrayList<>(providers.size());
            for (String provider : providers) {
                out.add(
                        new ModelPrice(
                                provider,
                                model,
                                input,
                                output,
                                cacheRead,
                                cacheWrite,
                                tiers,
                                aliases,
                                examples,
                                priceSource));
            }
            return out;
        }

        private static boolean matchesAny(List<Pattern> patterns, String id) {
            for (Pattern p : patterns) {
                if (p.matcher(id).matches()) return true;
            }
            return false;
        }

        private List<String> providers(Map<?, ?> e, String where) throws IOException {
            if (e.containsKey("provider") == e.containsKey("providers")) {
                throw fail(where, "needs exactly one of 'providers' (a list) or 'provider'");
            }
            List<String> providers =
                    e.containsKey("provider")
                            ? List.of(string(e.get("provider"), where, "provider"))
                            : strings(e, "providers", where);
            if (providers.isEmpty()) throw fail(where, "'providers' is empty");
            List<String> stripped = new ArrayList<>();
            for (String p : providers) {
                if (p.isBlank()) throw fail(where, "a provider name is blank");
                stripped.add(p.strip());
            }
            return stripped;
        }

        private List<ModelPrice.Tier> tiers(
                Map<?, ?> e, String entry, boolean free, boolean embedding) throws IOException {
            if (!e.containsKey("tiers")) return List.of();
            List<?> list = list(e.get("tiers"), entry, "tiers");
            List<ModelPrice.Tier> tiers = new ArrayList<>();
            Set<Long> thresholds = new TreeSet<>();
            for (int i = 0; i < list.size(); i++) {
                String where = entry + " tiers[" + i + "]";
                Map<?, ?> t = object(list.get(i), where);
                checkFields(t, TIER_FIELDS, where);
                Object above = t.get("above_input_tokens");
                if (!(above instanceof Number n)
                        || !(n.doubleValue() >= 0)
                        || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw fail(
                            where,
                            "'above_input_tokens' must be a whole number >= 0, got "
                                    + describe(above));
                }
                if (!thresholds.add(n.longValue()))
                    throw fail(where, "duplicate 'above_input_tokens' " + n.longValue());
                double input = price(t, "input", where, free, Double.NaN);
                tiers.add(
                        new ModelPrice.Tier(
                                n.longValue(),
                                input,
                                price(
                                        t,
                                        "output",
                                        where,
                                        free || embedding,
                                        embedding ? 0 : Double.NaN),
                                price(t, "cache_read", where, free, input),
                                price(t, "cache_write", where, free, input)));
            }
            return tiers;
        }

        /** {@code fallback} is used when the field is absent; NaN means the field is required. */
        private double price(
                Map<?, ?> m, String field, String where, boolean zeroAllowed, double fallback)
                throws IOException {
            if (!m.containsKey(field)) {
                if (Double.isNaN(fallback)) throw fail(where, "missing field '" + field + "'");
                return fallback;
            }
            Object v = m.get(field);
            if (!(v instanceof Number n))
                throw fail(where, "'" + field + "' must be a number, got " + describe(v));
            double price = n.doubleValue();
            if (!Double.isFinite(price) || price < 0) {
                throw fail(where, "'" + field + "' must be a finite price >= 0, got " + v);
            }
            if (price == 0 && !zeroAllowed) {
                throw fail(
                        where,
                        "'"
                                + field
                                + "' is 0; a zero price needs \"free\": true"
                                + (field.equals("output") ? " (or \"embedding\": true)" : "")
                                + ", otherwise calls would silently cost $0");
            }
            return price;
        }

        private void checkFields(Map<?, ?> m, Set<String> known, String where) throws IOException {
            for (Object key : m.keySet()) {
                if (!known.contains(key)) {
                    throw fail(
                            where,
                            "unknown field '"
                                    + key
                                    + "' (known: "
                                    + String.join(", ", new TreeSet<>(known))
                                    + ")");
                }
            }
        }

        private void expectConstant(Map<?, ?> root, String field, String expected)
                throws IOException {
            String value = optionalString(root, field, "top level");
            if (value != null && !value.equals(expected)) {
                throw fail(
                        "top level",
                        "'" + field + "' must be \"" + expected + "\", got \"" + value + "\"");
            }
        }

        private boolean bool(Map<?, ?> m, String field, String where) throws IOException {
            Object v = m.get(field);
            if (v == null) return false;
            if (!(v instanceof Boolean b))
                throw fail(where, "'" + field + "' must be true or false, got " + describe(v));
            return b;
        }

        private String optionalString(Map<?, ?> m, String field, String where) throws IOException {
            Object v = m.get(field);
            return v == null ? null : string(v, where, field);
        }

        private String string(Object v, String where, String field) throws IOException {
            if (!(v instanceof String s))
                throw fail(where, "'" + field + "' must be a string, got " + describe(v));
            return s;
        }

        private List<String> strings(Map<?, ?> m, String field, String where) throws IOException {
            if (m.get(field) == null) return List.of();
            List<String> out = new ArrayList<>();
            for (Object v : list(m.get(field), where, field))
                out.add(string(v, where, field + "[]"));
            return out;
        }

        private List<?> list(Object v, String where, String field) throws IOException {
            if (!(v instanceof List<?> l))
                throw fail(where, "'" + field + "' must be a list, got " + describe(v));
            return l;
        }

        private Map<?, ?> object(Object v, String where) throws IOException {
            if (!(v instanceof Map<?, ?> m))
                throw fail(where, "must be a JSON object, got " + describe(v));
            return m;
        }

        private static String describe(Object v) {
            return v == null ? "null" : v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
        }

        private IOException fail(String where, String problem) {
            return new IOException(source + ": " + where + ": " + problem);
        }
    }
}
