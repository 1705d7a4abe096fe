package io.tributary.client.admin;

/** Options of {@link Admin}'s listTopics (Kafka's class of the same name). */
public class ListTopicsOptions extends AbstractOptions<ListTopicsOptions> {
    private boolean listInternal;

    /** Also list internal topics (__consumer_offsets, __transaction_state). */
    public ListTopicsOptions listInternal(boolean listInternal) {
        this.listInternal = listInternal;
        return this;
    }

    public boolean shouldListInternal() {
        return listInternal;
    }
}
