package io.tributary.client.common;

import java.util.Objects;

/**
 * A configuration value that must not reach logs: {@link #toString()} hides it, so printing a whole configuration is
 * safe. {@link #value()} is for the one place that uses the secret.
 */
public final class Password {
    public static final String HIDDEN = "[hidden]";

    private final String value;

    public Password(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Password p && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
