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

    private Header(io.tributary.protocol.record.Header wire) {
        this.wire = wire;
    }

    /**
     * Wraps a decoded header as it is (the consumer's decode path, issue 16: no second wire header
     * per record header). Its value must be the record's own copy, never a view of a fetch buffer.
     */
    public static Header wrap(io.tributary.protocol.record.Header wire) {
        return new Header(java.util.Objects.requireNonNull(wire, "header"));
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
