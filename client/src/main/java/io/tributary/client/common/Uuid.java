package io.tributary.client.common;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * A topic id in Kafka's {@code Uuid} shape: printed as URL-safe base64 without padding (as
 * kafka-topics and Kafka's {@code Uuid.toString} print it), so ids from this client and Kafka's
 * tools compare as text. Immutable.
 */
public final class Uuid implements Comparable<Uuid> {
    public static final Uuid ZERO_UUID = new Uuid(0L, 0L);

    private final long mostSignificantBits;
    private final long leastSignificantBits;

    public Uuid(long mostSignificantBits, long leastSignificantBits) {
        this.mostSignificantBits = mostSignificantBits;
        this.leastSignificantBits = leastSignificantBits;
    }

    public static Uuid of(UUID uuid) {
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /** Parses the base64 form {@link #toString()} prints. */
    public static Uuid fromString(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("Input string " + text + " decoded to " + bytes.length
                    + " bytes, which is not the expected 16 bytes of a base64-encoded UUID");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new Uuid(b.getLong(), b.getLong());
    }

    public long getMostSignificantBits() {
        return mostSignificantBits;
    }

    public long getLeastSignificantBits() {
        return leastSignificantBits;
    }

    public UUID toUUID() {
        return new UUID(mostSignificantBits, leastSignificantBits);
    }

    @Override
    public String toString() {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(mostSignificantBits).putLong(leastSignificantBits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Uuid u
                && u.mostSignificantBits == mostSignificantBits
                && u.leastSignificantBits == leastSignificantBits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mostSignificantBits) * 31 + Long.hashCode(leastSignificantBits);
    }

    @Override
    public int compareTo(Uuid o) {
        int c = Long.compare(mostSignificantBits, o.mostSignificantBits);
        return c != 0 ? c : Long.compare(leastSignificantBits, o.leastSignificantBits);
    }
}
