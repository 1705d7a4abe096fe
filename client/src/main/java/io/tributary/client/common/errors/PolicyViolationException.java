package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** A request the broker's create-topic or alter-config policy refuses. Kafka's type of the same name (error code POLICY_VIOLATION). */
public class PolicyViolationException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public PolicyViolationException(String context) {
        super(Errors.POLICY_VIOLATION, context);
    }
}
