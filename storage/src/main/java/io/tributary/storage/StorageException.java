package io.tributary.storage;

import io.tributary.protocol.Errors;

/** A storage failure carrying the Kafka error the broker should answer with. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errors error;

    public StorageException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public StorageException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
