package io.tributary.protocol.sasl;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a server keeps of a SCRAM user (RFC 5802 section 2.2): the salt, the iteration count and the two derived keys,
 * never the password. Immutable: the arrays are copied in and out.
 */
public final class ScramCredential {
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final int iterations;

    public ScramCredential(byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {
        this.salt = salt.clone();
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
        this.iterations = iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] storedKey() {
        return storedKey.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    public int iterations() {
        return iterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential other
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(storedKey, other.storedKey)
                && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey));
    }

    @Override
    public String toString() {
        // Keys stay out of logs.
        return "ScramCredential(iterations=" + iterations + ")";
    }
}
