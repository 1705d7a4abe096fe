package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TopicPartition;
import java.util.Map;

/** Per-partition outcomes of a group offsets call: what alter and delete offsets results share. */
abstract class GroupPartitionResults {
    private final KafkaFuture<Map<TopicPartition, KafkaFuture<Void>>> perPartition;
    private final KafkaFuture<Void> whole;

    /**
     * @param perPartition completes (or fails, for a group-level error) with one future per partition
     */
    GroupPartitionResults(KafkaFuture<Map<TopicPartition, KafkaFuture<Void>>> perPartition) {
        this.perPartition = perPartition;
        KafkaFuture<Void> w = new KafkaFuture<>();
        perPartition.whenComplete((m, e) -> {
            if (e != null) {
                w.completeExceptionally(e);
                return;
            }
            KafkaFuture.allOf(m.values().toArray(new KafkaFuture<?>[0])).whenComplete((v, e2) -> {
                if (e2 != null) {
                    w.completeExceptionally(e2);
                } else {
                    w.complete(null);
                }
            });
        });
        this.whole = w;
    }

    /** One partition's outcome; the group's error if the whole request failed. */
    public KafkaFuture<Void> partitionResult(TopicPartition partition) {
        KafkaFuture<Void> out = new KafkaFuture<>();
        perPartition.whenComplete((m, e) -> {
            if (e != null) {
                out.completeExceptionally(e);
                return;
            }
            KafkaFuture<Void> f = m.get(partition);
            if (f == null) {
                out.completeExceptionally(
                        new IllegalArgumentException("Partition " + partition + " was not included in the request"));
                return;
            }
            f.whenComplete((v, e2) -> {
                if (e2 != null) {
                    out.completeExceptionally(e2);
                } else {
                    out.complete(null);
                }
            });
        });
        return out;
    }

    public KafkaFuture<Void> all() {
        return whole;
    }
}
