package io.tributary.coordinator.offset;

import io.tributary.coordinator.offset.OffsetStore.PartitionKey;
import io.tributary.coordinator.offset.OffsetStore.SequencedRecord;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.record.RecordCodec.OffsetValue;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offsets committed inside open transactions (TxnOffsetCommit), by producer id, until the
 * transaction ends: invisible to OffsetFetch, which answers UNSTABLE_OFFSET_COMMIT for their
 * partitions when asked for stable offsets (KIP-447). Also the epoch of each producer's last
 * transaction end, so a fenced zombie cannot add offsets after the abort marker (Kafka's log keeps
 * that in its producer state). Changed only by replaying records. Owned by the coordinator thread.
 */
public final class PendingTxnOffsets {
    /** One pending offset and the replay sequence number of its record. */
    public record Pending(OffsetValue value, long seq) {}

    /** A producer's open transaction: the highest epoch seen and its offsets in every group. */
    public static final class Txn {
        private short epoch;
        private final Map<PartitionKey, Pending> offsets = new LinkedHashMap<>();

        public short epoch() {
            return epoch;
        }

        /** Do not modify. */
        public Map<PartitionKey, Pending> offsets() {
            return offsets;
        }
    }

    private final Map<Long, Txn> byProducer = new HashMap<>();
    // Which producers have a pending offset for a partition (for require_stable and tombstones).
    private final Map<PartitionKey, Set<Long>> producersByPartition = new HashMap<>();
    private final Map<String, Integer> countByGroup = new HashMap<>();
    // The epoch of the last transaction end seen per producer: an older epoch is a zombie's.
    private final Map<Long, Short> endedEpochs = new HashMap<>();
    private int count;

    /** Remembers that a transaction of the producer ended at this epoch (kept as the maximum). */
    public void ended(long producerId, short epoch) {
        endedEpochs.merge(producerId, epoch, (a, b) -> (short) Math.max(a, b));
    }

    /**
     * The lowest epoch the producer may still write offsets with: that of its open transaction or
     * of the last end of one (a fencing abort is written with the bumped epoch), -1 if unknown.
     */
    public short minEpoch(long producerId) {
        Txn txn = byProducer.get(producerId);
        short ended = endedEpochs.getOrDefault(producerId, (short) -1);
        return txn == null ? ended : (short) Math.max(ended, txn.epoch);
    }

    public void add(long producerId, short epoch, PartitionKey key, OffsetValue value, long seq) {
        Txn txn = byProducer.computeIfAbsent(producerId, p -> new Txn());
        // A later transaction of the same producer (bumped epoch) may add to offsets whose marker
        // has not come yet, as Kafka keeps one set of pending offsets per producer id.
        txn.epoch = (short) Math.max(txn.epoch, epoch);
        if (txn.offsets.put(key, new Pending(value, seq)) == null) {
            producersByPartition.computeIfAbsent(key, k -> new HashSet<>()).add(producerId);
            countByGroup.merge(key.groupId(), 1, Integer::sum);
            count++;
        }
    }

    public Txn get(long producerId) {
        return byProducer.get(producerId);
    }

    /** Ends a producer's transaction: returns its offsets (null if it has none). */
    public Txn remove(long producerId) {
        Txn txn = byProducer.remove(producerId);
        if (txn != null) {
            txn.offsets.keySet().forEach(k -> forget(k, producerId));
        }
        return txn;
    }

    /** A committed-offset tombstone also drops every pending offset of the partition, as Kafka's does. */
    public void removePartition(PartitionKey key) {
        Set<Long> producers = producersByPartition.get(key);
        if (producers == null) {
            return;
        }
        for (Long producerId : List.copyOf(producers)) {
            Txn txn = byProducer.get(producerId);
            if (txn != null && txn.offsets.remove(key) != null) {
                forget(key, producerId);
                if (txn.offsets.isEmpty()) {
                    byProducer.remove(producerId);
                }
            }
        }
    }

    private void forget(PartitionKey key, long producerId) {
        Set<Long> producers = producersByPartition.get(key);
        if (producers != null && producers.remove(producerId) && producers.isEmpty()) {
            producersByPartition.remove(key);
        }
        countByGroup.computeIfPresent(key.groupId(), (g, n) -> n == 1 ? null : n - 1);
        count--;
    }

    public boolean hasPending(PartitionKey key) {
        return producersByPartition.containsKey(key);
    }

    public boolean hasPending(String groupId) {
        return countByGroup.containsKey(groupId);
    }

    /** The partitions of a group that have pending offsets. */
    public List<PartitionKey> partitions(String groupId) {
        List<PartitionKey> out = new ArrayList<>();
        if (hasPending(groupId)) {
            producersByPartition.keySet().stream()
                    .filter(k -> k.groupId().equals(groupId))
                    .forEach(out::add);
        }
        return out;
    }

    /** The partitions, in every group, of the given topics that have pending offsets. */
    public List<PartitionKey> partitionsOfTopics(Set<String> topics) {
        List<PartitionKey> out = new ArrayList<>();
        producersByPartition.keySet().stream()
                .filter(k -> topics.contains(k.topic()))
                .forEach(out::add);
        return out;
    }

    public int size() {
        return count;
    }

    /** How many producers have a remembered end epoch. */
    public int endedCount() {
        return endedEpochs.size();
    }

    /**
     * The remembered end epochs as transaction-end records, for a log snapshot: they go before
     * every offset record, where (with nothing pending yet) replaying them only restores the epochs.
     */
    public List<CoordinatorRecord> endedRecords() {
        List<CoordinatorRecord> out = new ArrayList<>(endedEpochs.size());
        endedEpochs.forEach((producerId, epoch) ->
                out.add(RecordCodec.txnEnd(producerId, new RecordCodec.TxnEndValue(epoch, false))));
        return out;
    }

    /** Every pending offset as its record, for a log snapshot. */
    public List<SequencedRecord> records() {
        List<SequencedRecord> out = new ArrayList<>(count);
        byProducer.forEach((producerId, txn) -> txn.offsets.forEach((k, p) -> out.add(new SequencedRecord(
                p.seq(),
                RecordCodec.txnOffsetCommit(
                        producerId,
                        k.groupId(),
                        k.topic(),
                        k.partition(),
                        new RecordCodec.TxnOffsetValue(txn.epoch, p.value()))))));
        return out;
    }
}
