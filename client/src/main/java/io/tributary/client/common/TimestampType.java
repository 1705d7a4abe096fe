package io.tributary.client.common;

/**
 * Whether a record's timestamp was set by the producer or by the broker on append. The public
 * face of the wire-level {@link io.tributary.protocol.record.TimestampType}, which owns the codes
 * and names; each constant takes its {@code id} and {@code name} from there. Immutable.
 */
public enum TimestampType {
    NO_TIMESTAMP_TYPE(io.tributary.protocol.record.TimestampType.NO_TIMESTAMP_TYPE),
    CREATE_TIME(io.tributary.protocol.record.TimestampType.CREATE_TIME),
    LOG_APPEND_TIME(io.tributary.protocol.record.TimestampType.LOG_APPEND_TIME);

    public final int id;
    public final String name;

    TimestampType(io.tributary.protocol.record.TimestampType wire) {
        this.id = wire.id;
        this.name = wire.name;
    }

    /** The public constant for a batch's wire-level timestamp type. */
    public static TimestampType forWire(io.tributary.protocol.record.TimestampType wire) {
        return switch (wire) {
            case NO_TIMESTAMP_TYPE -> NO_TIMESTAMP_TYPE;
            case CREATE_TIME -> CREATE_TIME;
            case LOG_APPEND_TIME -> LOG_APPEND_TIME;
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
