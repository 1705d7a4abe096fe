package io.tributary.coordinator.runtime;

import io.tributary.protocol.Errors;

/** Fails a coordinator response with a Kafka error (the facade turns it into the API's error response). */
public final class CoordinatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public CoordinatorException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }

    /** The Kafka error for any failure: its own for a CoordinatorException, else UNKNOWN_SERVER_ERROR. */
    public static Errors errorOf(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof CoordinatorException ce) {
                return ce.error();
            }
            c = c.getCause();
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }
}
