package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** An operation did not complete within its deadline (default.api.timeout.ms or the caller's timeout). */
public class TimeoutException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message) {
        super(message);
    }
}
