package io.tributary.protocol.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record header: a non-null UTF-8 key and a nullable value. Immutable by convention (the value
 * array is not copied). The encoded key is cached so that sizing and writing encode it once.
 */
public final class Header {
    private final String key;
    private final byte[] value;
    private byte[] keyBytes;

    public Header(String key, byte[] value) {
        this.key = Objects.requireNonNull(key, "header key");
        this.value = value;
    }

    public String key() {
        return key;
    }

    /** The value, or null. */
    public byte[] value() {
        return value;
    }

    byte[] keyBytes() {
        byte[] b = keyBytes;
        if (b == null) {
            b = key.getBytes(StandardCharsets.UTF_8);
            keyBytes = b;
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(key=" + key + ", value=" + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
