package io.tributary.client.common;

/**
 * One record header: a string key and a nullable byte value. Immutable. The public face of the
 * wire-level {@link io.tributary.protocol.record.Header}, which owns the rules (non-null key,
 * equality by key and value bytes); this type delegates to one.
 */
public final class Header {
    private final io.tributary.protocol.record.Header wire;

    public Header(String key, byte[] value) {
        this.wire = new io.tributary.protocol.record.Header(key, value);
    }

    public String key() {
        return wire.key();
    }

    public byte[] value() {
        return wire.value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && wire.equals(h.wire);
    }

    @Override
    public int hashCode() {
        return wire.hashCode();
    }

    @Override
    public String toString() {
        byte[] value = wire.value();
        return "Header(" + wire.key() + ", " + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
