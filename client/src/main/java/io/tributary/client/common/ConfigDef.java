package io.tributary.client.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A table of configuration keys: type, default, validator. {@link #parse} turns user properties
 * (strings or typed values) into typed values, failing on the first bad or missing key with a
 * {@link ConfigException} that names it. Immutable once built; shared freely.
 */
public final class ConfigDef {
    /** Marks a key without a default: it must be given. */
    public static final Object NO_DEFAULT = new Object();

    public enum Type {
        BOOLEAN,
        STRING,
        INT,
        LONG,
        DOUBLE,
        LIST,
        CLASS,
        /** A secret: parsed into {@link Password}, which never prints its value. */
        PASSWORD
    }

    /** Checks a parsed value; throws ConfigException naming the key. */
    @FunctionalInterface
    public interface Validator {
        void ensureValid(String key, Object value);
    }

    public record Key(String name, Type type, Object defaultValue, Validator validator, String doc) {}

    private final Map<String, Key> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, Type type, Object defaultValue, Validator validator, String doc) {
        Object parsedDefault = defaultValue == NO_DEFAULT || defaultValue == null
                ? defaultValue
                : parseValue(name, type, defaultValue);
        keys.put(name, new Key(name, type, parsedDefault, validator, doc));
        return this;
    }

    public ConfigDef define(String name, Type type, Object defaultValue, String doc) {
        return define(name, type, defaultValue, null, doc);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    public Key key(String name) {
        return keys.get(name);
    }

    /** Typed values for every defined key; keys the table does not define are left out. */
    public Map<String, Object> parse(Map<?, ?> props) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Key k : keys.values()) {
            Object value;
            if (props.containsKey(k.name)) {
                value = parseValue(k.name, k.type, props.get(k.name));
            } else if (k.defaultValue == NO_DEFAULT) {
                throw new ConfigException(
                        "Missing required configuration \"" + k.name + "\" which has no default value.");
            } else {
                value = k.defaultValue;
            }
            if (k.validator != null) {
                k.validator.ensureValid(k.name, value);
            }
            out.put(k.name, value);
        }
        return out;
    }

    static Object parseValue(String name, Type type, Object value) {
        if (value == null) {
            return null;
        }
        String trimmed = value instanceof String s ? s.trim() : null;
        try {
            switch (type) {
                case BOOLEAN:
                    if (value instanceof Boolean) {
                        return value;
                    }
                    if (trimmed != null && (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false"))) {
                        return Boolean.parseBoolean(trimmed);
                    }
                    throw new ConfigException(name, value, "Expected value to be either true or false");
                case STRING:
                    if (value instanceof String) {
                        return trimmed;
                    }
                    throw new ConfigException(
                            name,
                            value,
                            "Expected value to be a string, but it was a "
                                    + value.getClass().getName());
                case INT:
                    if (value instanceof Integer) {
                        return value;
                    }
                    if (trimmed != null) {
                        return Integer.parseInt(trimmed);
                    }
                    throw new ConfigException(
                            name,
                            value,
                            "Expected value to be a 32-bit integer, but it was a "
                                    + value.getClass().getName());
                case LONG:
                    if (value instanceof Integer i) {
                        return i.longValue();
                    }
                    if (value instanceof Long) {
                        return value;
                    }
                    if (trimmed != null) {
                        return Long.parseLong(trimmed);
                    }
                    throw new ConfigException(
                            name,
                            value,
                            "Expected value to be a 64-bit integer, but it was a "
                                    + value.getClass().getName());
                case DOUBLE:
                    if (value instanceof Number n) {
                        return n.doubleValue();
                    }
                    if (trimmed != null) {
                        return Double.parseDouble(trimmed);
                    }
                    throw new ConfigException(name, value, "Expected value to be a double");
                case LIST:
                    if (value instanceof List<?> l) {
                        List<Object> copy = new ArrayList<>();
                        for (Object o : l) {
                            copy.add(o instanceof String s ? s.trim() : o);
                        }
                        return Collections.unmodifiableList(copy);
                    }
                    if (trimmed != null) {
                        if (trimmed.isEmpty()) {
                            return List.of();
                        }
                        return List.copyOf(
                                Arrays.stream(trimmed.split("\\s*,\\s*", -1)).toList());
                    }
                    throw new ConfigException(name, value, "Expected a comma separated list");
                case PASSWORD:
                    if (value instanceof Password) {
                        return value;
                    }
                    if (trimmed != null) {
                        return new Password(trimmed);
                    }
                    throw new ConfigException(name, Password.HIDDEN, "Expected value to be a string");
                case CLASS:
                    if (value instanceof Class) {
                        return value;
                    }
                    if (trimmed != null) {
                        ClassLoader cl = Thread.currentThread().getContextClassLoader();
                        return Class.forName(trimmed, true, cl == null ? ConfigDef.class.getClassLoader() : cl);
                    }
                    throw new ConfigException(name, value, "Expected a Class instance or class name");
                default:
                    throw new IllegalStateException("Unknown type " + type);
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(name, value, "Not a number of type " + type);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(name, value, "Class " + value + " could not be found.");
        }
    }

    // ---- validators ----

    public static Validator atLeast(long min) {
        return (key, value) -> {
            if (value == null || ((Number) value).longValue() < min) {
                throw new ConfigException(key, value, "Value must be at least " + min);
            }
        };
    }

    public static Validator between(long min, long max) {
        return (key, value) -> {
            long v = value == null ? Long.MIN_VALUE : ((Number) value).longValue();
            if (v < min || v > max) {
                throw new ConfigException(key, value, "Value must be no less than " + min + " and no more than " + max);
            }
        };
    }

    /** Case-insensitive choice among strings; the parsed value is kept as the user wrote it. */
    public static Validator in(String... allowed) {
        return (key, value) -> {
            String v = value == null ? null : value.toString().toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equalsIgnoreCase(v)) {
                    return;
                }
            }
            throw new ConfigException(key, value, "String must be one of: " + String.join(", ", allowed));
        };
    }

    public static Validator nonEmptyList() {
        return (key, value) -> {
            if (value == null || ((List<?>) value).isEmpty()) {
                throw new ConfigException(key, value, "Empty list not allowed");
            }
            for (Object o : (List<?>) value) {
                if (o == null || (o instanceof String s && s.isEmpty())) {
                    throw new ConfigException(key, value, "Empty entries are not allowed");
                }
            }
        };
    }
}
