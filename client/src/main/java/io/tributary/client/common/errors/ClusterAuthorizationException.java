package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/** Not authorized for the cluster operation. Kafka's type of the same name (error code CLUSTER_AUTHORIZATION_FAILED). */
public class ClusterAuthorizationException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** @param context what failed, naming the entity (topic, group, partition) */
    public ClusterAuthorizationException(String context) {
        super(Errors.CLUSTER_AUTHORIZATION_FAILED, context);
    }
}
