package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** A group operation (subscribe, commit, committed) without a group.id. */
public class InvalidGroupIdException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public InvalidGroupIdException(String message) {
        super(message);
    }
}
