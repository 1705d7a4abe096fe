package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A request named the same resource, such as a SCRAM user, twice. Kafka's type of the same name (error code DUPLICATE_RESOURCE). */
public class DuplicateResourceException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity */
    public DuplicateResourceException(String context) {
        super(Errors.DUPLICATE_RESOURCE, context);
    }
}
