package io.tributary.broker.security.acl;

import java.util.Optional;

/** ALLOW or DENY (ANY only in filters), with Kafka's wire codes. */
public enum AclPermission implements WireCode {
    UNKNOWN(0),
    ANY(1),
    DENY(2),
    ALLOW(3);

    private final byte code;

    AclPermission(int code) {
        this.code = (byte) code;
    }

    @Override
    public byte code() {
        return code;
    }

    public static Optional<AclPermission> fromCode(byte code) {
        return WireCode.find(values(), code);
    }
}
