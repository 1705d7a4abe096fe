package io.tributary.client.admin;

/** Options of {@link Admin}'s listOffsets (Kafka's class of the same name). */
public class ListOffsetsOptions extends AbstractOptions<ListOffsetsOptions> {
    private final io.tributary.client.common.IsolationLevel isolationLevel;

    public ListOffsetsOptions() {
        this(io.tributary.client.common.IsolationLevel.READ_UNCOMMITTED);
    }

    /** READ_COMMITTED makes latest() the last stable offset rather than the high watermark. */
    public ListOffsetsOptions(io.tributary.client.common.IsolationLevel isolationLevel) {
        this.isolationLevel = isolationLevel;
    }

    public io.tributary.client.common.IsolationLevel isolationLevel() {
        return isolationLevel;
    }
}
