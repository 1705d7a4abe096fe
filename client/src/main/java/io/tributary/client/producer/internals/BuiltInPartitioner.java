package io.tributary.client.producer.internals;

import io.tributary.client.common.PartitionInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default partitioner (issue 12): keyed records go to {@code toPositive(murmur2(key)) %
 * partitions}, the same partition Apache's producer picks; records without a key stick to one
 * partition until about batch.size bytes have gone there, then move to another partition with a
 * leader chosen at random (KIP-794's uniform sticky behaviour, without the adaptive load weights).
 */
public final class BuiltInPartitioner {
    private final int stickyBatchSize;
    private final Map<String, Sticky> sticky = new ConcurrentHashMap<>();

    /**
     * A topic's sticky partition and the bytes appended to it since it was chosen. The per-record
     * calls are a volatile read and an atomic add (no monitor: the issue-16 profile showed two per
     * record); only a switch takes the lock.
     */
    public final class Sticky {
        private volatile int partition = -1;
        private final AtomicInteger bytes = new AtomicInteger();

        /** The sticky partition for the next unkeyed record, another one once batch.size bytes went to it. */
        public int partition(List<PartitionInfo> partitions) {
            int p = partition;
            if (p >= 0 && p < partitions.size() && bytes.get() < stickyBatchSize) {
                return p;
            }
            synchronized (this) {
                p = partition;
                if (p < 0 || p >= partitions.size() || bytes.get() >= stickyBatchSize) {
                    p = next(partitions, p);
                    bytes.set(0);
                    partition = p;
                }
                return p;
            }
        }

        /**
         * Counts {@code bytes} appended to {@code partition} if it is still the sticky one. The
         * producer passes the bytes the record took in its batch (as Kafka does), not the
         * record's upper-bound size estimate, so the switch comes when about one batch is full
         * rather than after two thirds of one, which would leave half-filled batches to linger.
         */
        public void appended(int partition, int bytes) {
            if (this.partition == partition) {
                this.bytes.addAndGet(bytes);
            }
        }
    }

    public BuiltInPartitioner(int stickyBatchSize) {
        this.stickyBatchSize = Math.max(1, stickyBatchSize);
    }

    public static int partitionForKey(byte[] keyBytes, int numPartitions) {
        return toPositive(murmur2(keyBytes)) % numPartitions;
    }

    /** The topic's sticky state: {@link Sticky#partition} before an append, {@link Sticky#appended} after. */
    public Sticky sticky(String topic) {
        Sticky s = sticky.get(topic);
        return s != null ? s : sticky.computeIfAbsent(topic, t -> new Sticky());
    }

    /** The sticky partition for an unkeyed record of {@code bytes}, counted as appended. */
    public int partitionForUnkeyed(String topic, List<PartitionInfo> partitions, int bytes) {
        Sticky s = sticky(topic);
        int p = s.partition(partitions);
        s.appended(p, bytes);
        return p;
    }

    /** A partition with a leader other than {@code previous}, at random (any partition when none has a leader). */
    private static int next(List<PartitionInfo> partitions, int previous) {
        int n = partitions.size();
        int[] available = new int[n];
        int count = 0;
        for (PartitionInfo p : partitions) {
            if (p.leader() != null && p.leader().id() >= 0 && (p.partition() != previous)) {
                available[count++] = p.partition();
            }
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (count == 0) {
            // Only the previous partition has a leader, or none has: keep it if it has one.
            boolean previousLed = previous >= 0 && previous < n && hasLeader(partitions, previous);
            return previousLed ? previous : r.nextInt(n);
        }
        return available[r.nextInt(count)];
    }

    private static boolean hasLeader(List<PartitionInfo> partitions, int partition) {
        for (PartitionInfo p : partitions) {
            if (p.partition() == partition) {
                return p.leader() != null && p.leader().id() >= 0;
            }
        }
        return false;
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
