package io.tributary.broker.security.acl;

import java.util.Optional;

/** Kafka's ACL resource types with their wire codes (CreateAcls, DescribeAcls, DeleteAcls). */
public enum ResourceType implements WireCode {
    UNKNOWN(0),
    ANY(1),
    TOPIC(2),
    GROUP(3),
    CLUSTER(4),
    TRANSACTIONAL_ID(5),
    DELEGATION_TOKEN(6),
    USER(7);

    /** The one name of the cluster resource, as Kafka names it. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private final byte code;

    ResourceType(int code) {
        this.code = (byte) code;
    }

    @Override
    public byte code() {
        return code;
    }

    public static Optional<ResourceType> fromCode(byte code) {
        return WireCode.find(values(), code);
    }
}
