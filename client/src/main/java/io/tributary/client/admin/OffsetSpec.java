package io.tributary.client.admin;

/**
 * Kafka's {@code OffsetSpec}: which offset listOffsets asks for, mapped to ListOffsets'
 * timestamps (-2 earliest, -1 latest, -3 max timestamp, or a timestamp).
 */
public class OffsetSpec {
    public static class EarliestSpec extends OffsetSpec {}

    public static class LatestSpec extends OffsetSpec {}

    public static class MaxTimestampSpec extends OffsetSpec {}

    public static class TimestampSpec extends OffsetSpec {
        private final long timestamp;

        TimestampSpec(long timestamp) {
            this.timestamp = timestamp;
        }

        long timestamp() {
            return timestamp;
        }
    }

    public static OffsetSpec earliest() {
        return new EarliestSpec();
    }

    public static OffsetSpec latest() {
        return new LatestSpec();
    }

    /** The earliest offset whose timestamp is at least {@code timestamp}. */
    public static OffsetSpec forTimestamp(long timestamp) {
        return new TimestampSpec(timestamp);
    }

    /** The offset (and timestamp) of the record with the largest timestamp. */
    public static OffsetSpec maxTimestamp() {
        return new MaxTimestampSpec();
    }

    /** The ListOffsets timestamp this spec is sent as. */
    long wireTimestamp() {
        if (this instanceof EarliestSpec) {
            return -2L;
        }
        if (this instanceof MaxTimestampSpec) {
            return -3L;
        }
        if (this instanceof TimestampSpec t) {
            return t.timestamp();
        }
        return -1L;
    }
}
