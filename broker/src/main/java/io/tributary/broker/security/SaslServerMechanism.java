package io.tributary.broker.security;

import io.tributary.protocol.sasl.SaslAuthenticationFailure;

/**
 * The server side of one SASL exchange on one connection: each token the client sends goes to {@link #evaluate}, whose
 * answer goes back. Owned by the connection's event loop; not thread-safe. A failure throws
 * {@link SaslAuthenticationFailure} with a message that is safe to send to the client and to log.
 */
public interface SaslServerMechanism {
    String mechanismName();

    byte[] evaluate(byte[] response);

    boolean isComplete();

    /** The authenticated user name; only after {@link #isComplete()}. */
    String authenticatedUser();
}
