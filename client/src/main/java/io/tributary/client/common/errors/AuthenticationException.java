package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/**
 * The client could not prove who it is to a broker, or the broker could not prove who it is to the client. Not
 * retriable: the same credentials or trust material fail again, so the consumer throws it to the application instead
 * of retrying until a timeout hides the cause.
 */
public class AuthenticationException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
