package io.tributary.client.admin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Creates or replaces a user's credential for one mechanism (Kafka's class of the same name). The password never
 * leaves the client: the admin sends the salt and Hi(password, salt, iterations) (RFC 5802), as Kafka's does.
 */
public class UserScramCredentialUpsertion extends UserScramCredentialAlteration {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramCredentialInfo info;
    private final byte[] salt;
    private final byte[] password;

    /** With a fresh random salt. */
    public UserScramCredentialUpsertion(String user, ScramCredentialInfo credentialInfo, String password) {
        this(user, credentialInfo, password.getBytes(StandardCharsets.UTF_8));
    }

    public UserScramCredentialUpsertion(String user, ScramCredentialInfo credentialInfo, byte[] password) {
        this(user, credentialInfo, password, randomSalt());
    }

    public UserScramCredentialUpsertion(String user, ScramCredentialInfo credentialInfo, byte[] password, byte[] salt) {
        super(user);
        this.info = Objects.requireNonNull(credentialInfo);
        this.password = Objects.requireNonNull(password).clone();
        this.salt = Objects.requireNonNull(salt).clone();
    }

    private static byte[] randomSalt() {
        // Fresh per upsertion so two users with one password store unrelated credentials (RFC 5802 section 5.1).
        byte[] salt = new byte[64];
        RANDOM.nextBytes(salt);
        return salt;
    }

    public ScramCredentialInfo credentialInfo() {
        return info;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] password() {
        return password.clone();
    }
}
