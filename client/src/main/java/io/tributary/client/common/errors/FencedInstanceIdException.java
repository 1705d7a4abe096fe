package io.tributary.client.common.errors;

import io.tributary.client.common.TributaryException;

/** Another live consumer uses this group.instance.id; this one has been fenced (G10). Fatal. */
public class FencedInstanceIdException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public FencedInstanceIdException(String message) {
        super(message);
    }
}
