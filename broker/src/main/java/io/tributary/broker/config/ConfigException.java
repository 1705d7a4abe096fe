package io.tributary.broker.config;

/** A configuration value that cannot be used; the message names the key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String key, Object value, String reason) {
        super("Invalid value " + value + " for configuration " + key + ": " + reason);
    }

    public ConfigException(String message) {
        super(message);
    }
}
