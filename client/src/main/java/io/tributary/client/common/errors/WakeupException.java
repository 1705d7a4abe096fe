package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** Thrown by a blocking consumer call after another thread called {@link Consumer#wakeup()}. */
public class WakeupException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public WakeupException() {
        super("The consumer was woken up");
    }
}
