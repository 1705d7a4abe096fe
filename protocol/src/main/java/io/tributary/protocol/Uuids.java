package io.tributary.protocol;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Kafka's UUID conventions: the all-zero id means "none", and ids print as URL-safe base64. */
public final class Uuids {
    public static final UUID ZERO = new UUID(0L, 0L);

    private Uuids() {}

    /** A random id that is never ZERO and whose base64 form never starts with '-' (as Kafka does). */
    public static UUID random() {
        while (true) {
            UUID u = UUID.randomUUID();
            if (!u.equals(ZERO) && !toBase64(u).startsWith("-")) {
                return u;
            }
        }
    }

    public static String toBase64(UUID u) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    public static UUID fromBase64(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(s));
        if (b.remaining() != 16) {
            throw new IllegalArgumentException("not a 16-byte id: " + s);
        }
        return new UUID(b.getLong(), b.getLong());
    }
}
