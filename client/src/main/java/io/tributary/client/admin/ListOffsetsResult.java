package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TopicPartition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The result of listOffsets (Kafka's class of the same name). */
public class ListOffsetsResult {
    /** The offset found, its record's timestamp (-1 when not applicable) and the leader epoch. */
    public static class ListOffsetsResultInfo {
        private final long offset;
        private final long timestamp;
        private final Optional<Integer> leaderEpoch;

        public ListOffsetsResultInfo(long offset, long timestamp, Optional<Integer> leaderEpoch) {
            this.offset = offset;
            this.timestamp = timestamp;
            this.leaderEpoch = leaderEpoch;
        }

        public long offset() {
            return offset;
        }

        public long timestamp() {
            return timestamp;
        }

        public Optional<Integer> leaderEpoch() {
            return leaderEpoch;
        }

        @Override
        public String toString() {
            return "ListOffsetsResultInfo(offset=" + offset + ", timestamp=" + timestamp + ", leaderEpoch="
                    + leaderEpoch + ")";
        }
    }

    private final Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> futures;

    public ListOffsetsResult(Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> futures) {
        this.futures = futures;
    }

    public KafkaFuture<ListOffsetsResultInfo> partitionResult(TopicPartition partition) {
        KafkaFuture<ListOffsetsResultInfo> f = futures.get(partition);
        if (f == null) {
            throw new IllegalArgumentException("List Offsets for partition \"" + partition + "\" was not attempted");
        }
        return f;
    }

    public KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]))
                .thenApply(v -> {
                    Map<TopicPartition, ListOffsetsResultInfo> out = new LinkedHashMap<>();
                    futures.forEach((tp, f) -> out.put(
                            tp, f.toCompletionStage().toCompletableFuture().join()));
                    return out;
                });
    }
}
