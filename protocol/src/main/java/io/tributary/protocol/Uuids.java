package io.tributary.protocol;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
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
            UUID u = randomV4();
            if (!u.equals(ZERO) && !toBase64(u).startsWith("-")) {
                return u;
            }
        }
    }

    /**
     * A version-4 UUID of 122 bits read from the kernel's random source, the one the JDK's
     * NativePRNG reads on Linux. {@code UUID.randomUUID()}'s first call initialises the security
     * providers behind SecureRandom: 20-40 ms on the main thread before a fresh broker's listener
     * (its cluster id and internal topics' ids), which this read does in ~0.1 ms (issue 16). Where
     * there is no /dev/urandom, {@code UUID.randomUUID()}.
     */
    static UUID randomV4() {
        byte[] b = new byte[16];
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, b.length) != b.length) {
                return UUID.randomUUID();
            }
        } catch (IOException | SecurityException e) {
            return UUID.randomUUID();
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new UUID(buf.getLong(), buf.getLong());
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
