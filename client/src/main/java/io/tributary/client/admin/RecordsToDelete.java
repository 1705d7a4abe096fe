package io.tributary.client.admin;

/** Kafka's {@code RecordsToDelete}: delete a partition's records before an offset. Immutable. */
public class RecordsToDelete {
    private final long offset;

    private RecordsToDelete(long offset) {
        this.offset = offset;
    }

    /** -1 means up to the high watermark. */
    public static RecordsToDelete beforeOffset(long offset) {
        return new RecordsToDelete(offset);
    }

    public long beforeOffset() {
        return offset;
    }

    @Override
    public String toString() {
        return "(beforeOffset = " + offset + ")";
    }
}
