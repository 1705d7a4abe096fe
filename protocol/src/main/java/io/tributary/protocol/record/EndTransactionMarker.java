package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/**
 * The COMMIT or ABORT marker that ends a transaction on a partition: a control record whose value
 * is (version int16 = 0, coordinatorEpoch int32). Immutable.
 */
public record EndTransactionMarker(ControlRecordType type, int coordinatorEpoch) {
    public static final short CURRENT_VERSION = 0;
    private static final int VALUE_SIZE = 6;

    public EndTransactionMarker {
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new IllegalArgumentException("Invalid control record type for end transaction marker: " + type);
        }
    }

    public ByteBuffer value() {
        ByteBuffer b = ByteBuffer.allocate(VALUE_SIZE);
        b.putShort(0, CURRENT_VERSION);
        b.putInt(2, coordinatorEpoch);
        return b;
    }

    /**
     * Reads the marker from a record of a control batch.
     *
     * @throws CorruptRecordException if the record is not a well-formed COMMIT or ABORT marker
     */
    public static EndTransactionMarker deserialize(Record record) {
        ControlRecordType type = ControlRecordType.parse(record);
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new CorruptRecordException("Control record of type " + type + " is not a transaction marker");
        }
        ByteBuffer v = record.value();
        if (v == null || v.remaining() < VALUE_SIZE) {
            throw new CorruptRecordException("End transaction marker value must have " + VALUE_SIZE + " bytes");
        }
        short version = v.getShort(v.position());
        if (version < 0) {
            throw new CorruptRecordException("Invalid end transaction marker version " + version);
        }
        return new EndTransactionMarker(type, v.getInt(v.position() + 2));
    }
}
