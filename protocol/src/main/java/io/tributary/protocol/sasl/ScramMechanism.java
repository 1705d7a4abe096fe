package io.tributary.protocol.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two SCRAM mechanisms Kafka speaks (RFC 5802 with the hashes of RFC 7677 and Kafka's SCRAM-SHA-512) and the key
 * derivations both ends of an exchange compute. Shared by the broker's server and the client's login so that the
 * arithmetic has one owner. Stateless and thread-safe.
 */
public enum ScramMechanism {
    SCRAM_SHA_256(1, "SCRAM-SHA-256", "SHA-256", "HmacSHA256"),
    SCRAM_SHA_512(2, "SCRAM-SHA-512", "SHA-512", "HmacSHA512");

    /** Kafka's bounds on the iteration count (RFC 7677 asks for at least 4096). */
    public static final int MIN_ITERATIONS = 4096;

    public static final int MAX_ITERATIONS = 16384;

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.UTF_8);

    private final byte code;
    private final String mechanismName;
    private final String hashAlgorithm;
    private final String macAlgorithm;

    ScramMechanism(int code, String mechanismName, String hashAlgorithm, String macAlgorithm) {
        this.code = (byte) code;
        this.mechanismName = mechanismName;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
    }

    /** The name on the wire and in configs, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The mechanism's code in AlterUserScramCredentials and DescribeUserScramCredentials (KIP-554). */
    public byte code() {
        return code;
    }

    public static Optional<ScramMechanism> fromCode(byte code) {
        for (ScramMechanism m : values()) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static Optional<ScramMechanism> forName(String name) {
        for (ScramMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The credential a server stores for {@code password}, with a fresh random salt. */
    public ScramCredential newCredential(String password, int iterations, SecureRandom random) {
        byte[] salt = new byte[24];
        random.nextBytes(salt);
        return credential(password, salt, iterations);
    }

    public ScramCredential credential(String password, byte[] salt, int iterations) {
        return credentialFromSaltedPassword(salt, saltedPassword(password, salt, iterations), iterations);
    }

    /** The stored credential from a salted password, as AlterUserScramCredentials carries it (KIP-554). */
    public ScramCredential credentialFromSaltedPassword(byte[] salt, byte[] saltedPassword, int iterations) {
        return new ScramCredential(salt, storedKey(clientKey(saltedPassword)), serverKey(saltedPassword), iterations);
    }

    /** Hi(password, salt, i) of RFC 5802: PBKDF2 with this mechanism's HMAC, one block. */
    public byte[] saltedPassword(String password, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("SCRAM iteration count must be positive, got " + iterations);
        }
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        byte[] first = new byte[salt.length + 4];
        System.arraycopy(salt, 0, first, 0, salt.length);
        first[first.length - 1] = 1; // INT(1), big-endian
        Mac mac = mac(key);
        byte[] u = mac.doFinal(first);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    public byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, CLIENT_KEY);
    }

    public byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword, SERVER_KEY);
    }

    public byte[] storedKey(byte[] clientKey) {
        return hash(clientKey);
    }

    public byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(hashAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hashAlgorithm + " is missing from this JVM", e);
        }
    }

    public byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    /** ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage). */
    public byte[] clientProof(byte[] clientKey, byte[] authMessage) {
        return xor(clientKey, hmac(storedKey(clientKey), authMessage));
    }

    /** ServerSignature = HMAC(ServerKey, AuthMessage). */
    public byte[] serverSignature(byte[] serverKey, byte[] authMessage) {
        return hmac(serverKey, authMessage);
    }

    /**
     * Whether {@code proof} proves knowledge of the password behind {@code storedKey}: H(proof XOR ClientSignature)
     * must equal StoredKey. Compared in constant time.
     */
    public boolean verifyClientProof(byte[] storedKey, byte[] authMessage, byte[] proof) {
        byte[] signature = hmac(storedKey, authMessage);
        if (proof.length != signature.length) {
            return false;
        }
        return MessageDigest.isEqual(hash(xor(proof, signature)), storedKey);
    }

    /** Constant-time comparison of a server signature or key. */
    public static boolean equalKeys(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            // HMAC pads a key with zeros to its block size, so an empty key (an empty password), which
            // SecretKeySpec refuses, is the same key as a single zero byte.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macAlgorithm + " is missing from this JVM", e);
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("keys of different lengths: " + a.length + " and " + b.length);
        }
        byte[] out = Arrays.copyOf(a, a.length);
        for (int i = 0; i < out.length; i++) {
            out[i] ^= b[i];
        }
        return out;
    }
}
