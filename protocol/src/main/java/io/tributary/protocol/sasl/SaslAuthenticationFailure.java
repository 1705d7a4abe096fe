package io.tributary.protocol.sasl;

/**
 * A SASL exchange that cannot go on. The message is safe to send to the peer and to log: it never carries a password
 * or key, and it is the same for an unknown user and a wrong password so that it tells an attacker nothing.
 */
public final class SaslAuthenticationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SaslAuthenticationFailure(String message) {
        super(message);
    }
}
