package io.tributary.client.common.errors;

/**
 * The TLS handshake failed: the broker's certificate is not trusted, does not name the host we connected to, or the
 * two ends share no protocol or cipher suite. The message carries the JDK's reason (certificate path or host name).
 */
public class SslAuthenticationException extends AuthenticationException {
    private static final long serialVersionUID = 1L;

    public SslAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
