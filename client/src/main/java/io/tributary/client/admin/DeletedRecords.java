package io.tributary.client.admin;

/** Kafka's {@code DeletedRecords}: the partition's new log start offset after deleteRecords. */
public class DeletedRecords {
    private final long lowWatermark;

    public DeletedRecords(long lowWatermark) {
        this.lowWatermark = lowWatermark;
    }

    public long lowWatermark() {
        return lowWatermark;
    }
}
