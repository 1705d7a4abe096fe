package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A config name or value the broker rejects. Kafka's type of the same name (error code INVALID_CONFIG). */
public class InvalidConfigurationException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public InvalidConfigurationException(String context) {
        super(Errors.INVALID_CONFIG, context);
    }
}
