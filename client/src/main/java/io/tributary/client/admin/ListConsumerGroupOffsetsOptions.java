package io.tributary.client.admin;

/** Options of {@link Admin}'s listConsumerGroupOffsets (Kafka's class of the same name). */
public class ListConsumerGroupOffsetsOptions extends AbstractOptions<ListConsumerGroupOffsetsOptions> {
    private boolean requireStable;

    /** Wait for pending transactional offsets rather than skip them (the broker answers UNSTABLE_OFFSET_COMMIT). */
    public ListConsumerGroupOffsetsOptions requireStable(boolean requireStable) {
        this.requireStable = requireStable;
        return this;
    }

    public boolean requireStable() {
        return requireStable;
    }
}
