package io.tributary.client.common.errors;

/**
 * The SASL exchange failed: the broker refused the credentials (its message is kept), does not enable the configured
 * mechanism (the message lists the ones it does), or did not prove it knows the SCRAM credential.
 */
public class SaslAuthenticationException extends AuthenticationException {
    private static final long serialVersionUID = 1L;

    public SaslAuthenticationException(String message) {
        super(message);
    }

    public SaslAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
