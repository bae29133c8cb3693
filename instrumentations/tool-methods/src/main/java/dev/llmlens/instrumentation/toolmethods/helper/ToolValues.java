package dev.llmlens.instrumentation.toolmethods.helper;

import dev.llmlens.bootstrap.JsonText;
import java.lang.reflect.Parameter;

/**
 * A plain method's arguments and result as a model would have sent and read them: the arguments as a
 * JSON object by parameter name, the result as text. Strings, numbers and booleans are JSON scalars;
 * anything else is its {@code String.valueOf}, which is all a method hook can know of an object.
 */
final class ToolValues {

    private ToolValues() {}

    /** Parameter names are the compiled ones: {@code argN} unless the app was built with -parameters. */
    static String arguments(Parameter[] parameters, Object[] values) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < values.length && i < parameters.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            JsonText.quote(json, parameters[i].getName()).append(':');
            value(json, values[i]);
        }
        return json.append('}').toString();
    }

    /** A returned String is the text itself (often JSON already); other values render as in the arguments. */
    static String result(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        return value(new StringBuilder(), value).toString();
    }

    private static StringBuilder value(StringBuilder json, Object value) {
        if (value == null) {
            return json.append("null");
        }
        if (value instanceof Boolean || isFiniteNumber(value)) {
            return json.append(value);
        }
        return JsonText.quote(json, String.valueOf(value));
    }

    private static boolean isFiniteNumber(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        return value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal;
    }
}
