package io.tributary.broker.security.acl;

import java.util.Optional;
import java.util.Set;

/** Kafka's ACL operations with their wire codes, and which granted operations imply which (ALLOW only). */
public enum AclOperation implements WireCode {
    UNKNOWN(0),
    ANY(1),
    ALL(2),
    READ(3),
    WRITE(4),
    CREATE(5),
    DELETE(6),
    ALTER(7),
    DESCRIBE(8),
    CLUSTER_ACTION(9),
    DESCRIBE_CONFIGS(10),
    ALTER_CONFIGS(11),
    IDEMPOTENT_WRITE(12),
    CREATE_TOKENS(13),
    DESCRIBE_TOKENS(14),
    TWO_PHASE_COMMIT(15);

    private static final Set<AclOperation> IMPLY_DESCRIBE = Set.of(READ, WRITE, DELETE, ALTER, DESCRIBE);
    private static final Set<AclOperation> IMPLY_DESCRIBE_CONFIGS = Set.of(ALTER_CONFIGS, DESCRIBE_CONFIGS);

    private final byte code;

    AclOperation(int code) {
        this.code = (byte) code;
    }

    @Override
    public byte code() {
        return code;
    }

    public static Optional<AclOperation> fromCode(byte code) {
        return WireCode.find(values(), code);
    }

    /** Whether an ALLOW for this operation grants {@code requested}: ALL grants everything, READ grants DESCRIBE. */
    public boolean allowImplies(AclOperation requested) {
        if (this == ALL || this == requested) {
            return true;
        }
        return switch (requested) {
            case DESCRIBE -> IMPLY_DESCRIBE.contains(this);
            case DESCRIBE_CONFIGS -> IMPLY_DESCRIBE_CONFIGS.contains(this);
            default -> false;
        };
    }

    /** Whether a DENY for this operation refuses {@code requested}: only the same operation or ALL. */
    public boolean denyCovers(AclOperation requested) {
        return this == ALL || this == requested;
    }
}
