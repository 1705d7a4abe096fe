package io.tributary.client.common;

/** A configuration key is missing or holds a value the client cannot use; the message names the key. */
public class ConfigException extends TributaryException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, Object value, String why) {
        super("Invalid value " + value + " for configuration " + key + (why == null ? "" : ": " + why));
        this.key = key;
    }

    public ConfigException(String message) {
        super(message);
        this.key = null;
    }

    /** The offending key, or null when the problem spans several keys. */
    public String key() {
        return key;
    }
}
