package io.tributary.client.network;

import io.tributary.client.common.TributaryException;

/** The connection carrying a request failed or closed before its response arrived; retriable. */
public class DisconnectException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public DisconnectException(String message) {
        super(message);
    }

    public DisconnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
