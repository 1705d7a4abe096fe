package io.tributary.broker.security.acl;

import java.util.Optional;

/**
 * How an ACL's resource name matches: LITERAL (the name, or "*" for every name) or PREFIXED. ANY and MATCH exist only
 * in filters (DescribeAcls, DeleteAcls).
 */
public enum PatternType implements WireCode {
    UNKNOWN(0),
    ANY(1),
    MATCH(2),
    LITERAL(3),
    PREFIXED(4);

    private final byte code;

    PatternType(int code) {
        this.code = (byte) code;
    }

    @Override
    public byte code() {
        return code;
    }

    public static Optional<PatternType> fromCode(byte code) {
        return WireCode.find(values(), code);
    }
}
