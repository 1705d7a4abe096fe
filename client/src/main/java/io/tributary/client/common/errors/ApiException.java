package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;
import io.tributary.protocol.Errors;

/** A broker answered with an error code; {@link #error()} says which. */
public class ApiException extends TributaryException {
    private static final long serialVersionUID = 1L;
    private final transient Errors error;

    public ApiException(Errors error, String context) {
        super((context == null ? "" : context + ": ") + error.name() + " (" + error.code() + ") " + error.message());
        this.error = error;
    }

    public Errors error() {
        return error;
    }

    public boolean retriable() {
        return error.retriable();
    }
}
