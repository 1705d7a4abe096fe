package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** Bytes could not be turned into a value (wrong size, bad JSON, bad encoding). */
public class SerializationException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
