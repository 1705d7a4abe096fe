package io.tributary.protocol.record;

/**
 * Where a batch's timestamps come from: the producer (CreateTime) or the broker (LogAppendTime).
 * The owner of the wire codes ({@code id}, the batch attribute bit) and Kafka's names; the
 * client's public {@code TimestampType} maps onto these constants.
 */
public enum TimestampType {
    NO_TIMESTAMP_TYPE(-1, "NoTimestampType"),
    CREATE_TIME(0, "CreateTime"),
    LOG_APPEND_TIME(1, "LogAppendTime");

    public final int id;
    public final String name;

    TimestampType(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /** Kafka's config value, e.g. "CreateTime" for {@code message.timestamp.type}. */
    public static TimestampType forName(String name) {
        for (TimestampType t : values()) {
            if (t.name.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Invalid timestamp type " + name);
    }

    @Override
    public String toString() {
        return name;
    }
}
