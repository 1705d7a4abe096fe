package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A describe or delete named a resource, such as a SCRAM user, that does not exist. Kafka's type of the same name (error code RESOURCE_NOT_FOUND). */
public class ResourceNotFoundException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity */
    public ResourceNotFoundException(String context) {
        super(Errors.RESOURCE_NOT_FOUND, context);
    }
}
