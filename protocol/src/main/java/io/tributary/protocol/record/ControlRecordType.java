package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/**
 * The type carried in the key of a control record (version int16, type int16). Transaction
 * markers are ABORT and COMMIT; the others are written by KRaft and only need recognising.
 */
public enum ControlRecordType {
    ABORT(0),
    COMMIT(1),
    LEADER_CHANGE(2),
    SNAPSHOT_HEADER(3),
    SNAPSHOT_FOOTER(4),
    KRAFT_VERSION(5),
    KRAFT_VOTERS(6),
    /** A type this version does not know; readers skip it. */
    UNKNOWN(-1);

    public static final short CURRENT_KEY_VERSION = 0;
    public static final int KEY_SIZE = 4;

    public final short type;

    ControlRecordType(int type) {
        this.type = (short) type;
    }

    /** The 4-byte key of a control record of this type. */
    public ByteBuffer recordKey() {
        if (this == UNKNOWN) {
            throw new IllegalArgumentException("Cannot serialize UNKNOWN control record type");
        }
        ByteBuffer b = ByteBuffer.allocate(KEY_SIZE);
        b.putShort(0, CURRENT_KEY_VERSION);
        b.putShort(2, type);
        return b;
    }

    public static ControlRecordType fromTypeId(short typeId) {
        for (ControlRecordType t : values()) {
            if (t.type == typeId && t != UNKNOWN) {
                return t;
            }
        }
        return UNKNOWN;
    }

    /**
     * Reads the type from a control record's key (position to limit, left untouched). Newer key
     * versions are read by their first two fields, as Kafka does.
     *
     * @throws CorruptRecordException if the key is missing, short or has a negative version
     */
    public static ControlRecordType parse(ByteBuffer key) {
        if (key == null || key.remaining() < KEY_SIZE) {
            throw new CorruptRecordException("Control record key must have at least " + KEY_SIZE + " bytes, got "
                    + (key == null ? "null" : key.remaining()));
        }
        short version = key.getShort(key.position());
        if (version < 0) {
            throw new CorruptRecordException("Invalid negative control record key version " + version);
        }
        return fromTypeId(key.getShort(key.position() + 2));
    }

    /** The type of a record read from a control batch. */
    public static ControlRecordType parse(Record record) {
        return parse(record.key());
    }
}
