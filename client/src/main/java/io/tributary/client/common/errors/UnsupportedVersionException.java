package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** The broker does not support the request or a feature of it. Kafka's type of the same name (error code UNSUPPORTED_VERSION). */
public class UnsupportedVersionException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public UnsupportedVersionException(String context) {
        super(Errors.UNSUPPORTED_VERSION, context);
    }
}
