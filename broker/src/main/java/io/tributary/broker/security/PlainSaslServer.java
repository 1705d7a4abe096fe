package io.tributary.broker.security;

import io.tributary.protocol.sasl.PlainMessage;
import io.tributary.protocol.sasl.SaslAuthenticationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The server side of SASL/PLAIN as Kafka's PlainLoginModule runs it: one message, checked against the listener's
 * {@code user_<name>="<password>"} JAAS options. One instance per exchange, owned by the connection's event loop.
 */
public final class PlainSaslServer implements SaslServerMechanism {
    static final String INVALID_CREDENTIALS = "Authentication failed: Invalid username or password";

    private final Map<String, String> passwords;
    private String user;

    /** {@code passwords} maps user name to password (from the JAAS {@code user_} options). */
    public PlainSaslServer(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    @Override
    public String mechanismName() {
        return "PLAIN";
    }

    @Override
    public byte[] evaluate(byte[] response) {
        if (user != null) {
            throw new SaslAuthenticationFailure("Authentication failed: the PLAIN exchange is already complete");
        }
        PlainMessage message = PlainMessage.parse(response);
        if (!message.authorizationId().isEmpty() && !message.authorizationId().equals(message.username())) {
            throw new SaslAuthenticationFailure(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        String expected = passwords.get(message.username());
        // Compare in constant time even for an unknown user, so timing does not tell which users exist.
        byte[] given = message.password().getBytes(StandardCharsets.UTF_8);
        byte[] wanted = (expected == null ? "\0unknown" : expected).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, wanted) || expected == null) {
            throw new SaslAuthenticationFailure(INVALID_CREDENTIALS);
        }
        user = message.username();
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return user != null;
    }

    @Override
    public String authenticatedUser() {
        if (user == null) {
            throw new IllegalStateException("PLAIN exchange is not complete");
        }
        return user;
    }
}
