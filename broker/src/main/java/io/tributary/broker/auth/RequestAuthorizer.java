package io.tributary.broker.auth;

import io.tributary.broker.network.Request;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import java.util.List;

/**
 * The one question every handler asks before it acts: may the principal of this request perform this operation on
 * this resource (Kafka's {@code AuthHelper.authorize})? The broker starts with {@link #ALLOW_ALL} (no
 * {@code authorizer.class.name}) or {@link #DENY_ALL} (an authorizer is configured but not yet installed, so a broker
 * started without the security extension fails closed); the security extension installs the real one. Implementations
 * are thread-safe and never block: they run on the network threads.
 */
public interface RequestAuthorizer {
    RequestAuthorizer ALLOW_ALL = new RequestAuthorizer() {
        @Override
        public boolean authorize(Request request, AclOperation operation, ResourceType type, String name) {
            return true;
        }

        @Override
        public boolean authorizeAny(Request request, AclOperation operation, ResourceType type) {
            return true;
        }
    };

    RequestAuthorizer DENY_ALL = new RequestAuthorizer() {
        @Override
        public boolean authorize(Request request, AclOperation operation, ResourceType type, String name) {
            return false;
        }

        @Override
        public boolean authorizeAny(Request request, AclOperation operation, ResourceType type) {
            return false;
        }
    };

    boolean authorize(Request request, AclOperation operation, ResourceType type, String name);

    /**
     * Kafka's {@code authorizeByResourceType}: whether the principal may perform the operation on at least one
     * resource of the type (InitProducerId lets an idempotent producer in with WRITE on any topic).
     */
    boolean authorizeAny(Request request, AclOperation operation, ResourceType type);

    /** What Kafka's AclEntry.supportedOperations lists for the cluster, for authorized-operations fields. */
    List<AclOperation> CLUSTER_OPERATIONS = List.of(
            AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE,
            AclOperation.ALTER,
            AclOperation.DESCRIBE);

    /** Kafka's authorized-operations bit field (bit = operation code) over {@code operations}. */
    default int authorizedOperations(Request request, ResourceType type, String name, List<AclOperation> operations) {
        int bits = 0;
        for (AclOperation op : operations) {
            if (authorize(request, op, type, name)) {
                bits |= 1 << op.code();
            }
        }
        return bits;
    }

    /** Shorthand for the one cluster resource, {@code kafka-cluster}. */
    default boolean authorizeCluster(Request request, AclOperation operation) {
        return authorize(request, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    /** The cluster's authorized operations as Metadata and DescribeCluster show them: none without DESCRIBE. */
    default int clusterAuthorizedOperations(Request request) {
        return authorizeCluster(request, AclOperation.DESCRIBE)
                ? authorizedOperations(request, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, CLUSTER_OPERATIONS)
                : 0;
    }
}
