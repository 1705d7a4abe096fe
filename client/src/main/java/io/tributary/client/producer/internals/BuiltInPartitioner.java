package io.tributary.client.producer.internals;

import io.tributary.client.common.PartitionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default partitioner (issue 12): keyed records go to {@code toPositive(murmur2(key)) %
 * partitions}, the same partition Apache's producer picks; records without a key stick to one
 * partition until about batch.size bytes have gone there, then move to another partition with a
 * leader chosen at random (KIP-794's uniform sticky behaviour, without the adaptive load weights).
 */
public final class BuiltInPartitioner {
    private final int stickyBatchSize;
    private final Map<String, Sticky> sticky = new ConcurrentHashMap<>();

    private static final class Sticky {
        int partition = -1;
        int bytes;
    }

    public BuiltInPartitioner(int stickyBatchSize) {
        this.stickyBatchSize = Math.max(1, stickyBatchSize);
    }

    public static int partitionForKey(byte[] keyBytes, int numPartitions) {
        return toPositive(murmur2(keyBytes)) % numPartitions;
    }

    /**
     * The sticky partition for an unkeyed record of {@code bytes}, switching after batch.size
     * bytes: {@link #partitionForUnkeyed(String, List)} then {@link #appended}.
     */
    public int partitionForUnkeyed(String topic, List<PartitionInfo> partitions, int bytes) {
        int p = partitionForUnkeyed(topic, partitions);
        appended(topic, p, bytes);
        return p;
    }

    /** The sticky partition for the next unkeyed record, another one once batch.size bytes went to it. */
    public int partitionForUnkeyed(String topic, List<PartitionInfo> partitions) {
        Sticky s = sticky.computeIfAbsent(topic, t -> new Sticky());
        synchronized (s) {
            if (s.partition < 0 || s.partition >= partitions.size() || s.bytes >= stickyBatchSize) {
                s.partition = next(partitions, s.partition);
                s.bytes = 0;
            }
            return s.partition;
        }
    }

    /**
     * Counts {@code bytes} appended to the topic's sticky partition. The producer passes the
     * bytes the record took in its batch (as Kafka does), not the record's upper-bound size
     * estimate, so the switch comes when about one batch is full rather than after two thirds
     * of one, which would leave half-filled batches to linger.
     */
    public void appended(String topic, int partition, int bytes) {
        Sticky s = sticky.get(topic);
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (s.partition == partition) {
                s.bytes += bytes;
            }
        }
    }

    private static int next(List<PartitionInfo> partitions, int previous) {
        List<Integer> available = new ArrayList<>();
        for (PartitionInfo p : partitions) {
            if (p.leader() != null && p.leader().id() >= 0) {
                available.add(p.partition());
            }
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (available.isEmpty()) {
            return r.nextInt(partitions.size());
        }
        if (available.size() > 1) {
            available.remove(Integer.valueOf(previous));
        }
        return available.get(r.nextInt(available.size()));
    }

    public static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    /** MurmurHash2, 32-bit, seed 0x9747b28c, little-endian blocks: the hash Kafka's producer keys by. */
    @SuppressWarnings("fallthrough")
    public static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = 0x9747b28c ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int o = i * 4;
            int k = (data[o] & 0xff)
                    | ((data[o + 1] & 0xff) << 8)
                    | ((data[o + 2] & 0xff) << 16)
                    | ((data[o + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
