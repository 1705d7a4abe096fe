package io.tributary.client.common;

import java.util.List;
import java.util.Map;

/**
 * The typed accessors the consumer's, producer's and admin's configs share, as Kafka's
 * {@code AbstractConfig} (issue 12: config parsing shared, not copied). Each subclass parses its
 * own {@link ConfigDef} and its cross-key rules; this class only reads the parsed values.
 */
public abstract class AbstractConfig {
    /** The parsed values: every key of the client's definition, defaults filled in. */
    protected abstract Map<String, Object> parsedValues();

    public Object get(String key) {
        Map<String, Object> values = parsedValues();
        if (!values.containsKey(key)) {
            throw new ConfigException("Unknown configuration '" + key + "'");
        }
        return values.get(key);
    }

    public int getInt(String key) {
        return (Integer) get(key);
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<Object> getList(String key) {
        return (List<Object>) get(key);
    }
}
