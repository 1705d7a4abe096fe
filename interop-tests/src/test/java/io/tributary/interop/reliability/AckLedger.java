package io.tributary.interop.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the broker acknowledged (issue 15, crash loops): for every partition, the offset each
 * acknowledged record was given, so an audit can check that exactly that record is still at
 * exactly that offset after any number of crashes.
 *
 * <p>Written by the producers' I/O threads (send callbacks), read by the test thread.
 */
final class AckLedger {
    private final List<ConcurrentHashMap<Long, String>> acked = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicLong firstAckAfterMark = new AtomicLong();
    private volatile long markNanos = Long.MAX_VALUE;

    AckLedger(int partitions) {
        for (int p = 0; p < partitions; p++) {
            acked.add(new ConcurrentHashMap<>());
        }
    }

    void acked(int partition, long offset, String id) {
        long now = System.nanoTime();
        if (now > markNanos) {
            firstAckAfterMark.compareAndSet(0, now);
        }
        String previous = acked.get(partition).putIfAbsent(offset, id);
        if (previous != null) {
            // Two acknowledgements naming the same offset: one of them is a lie.
            violations.add("offset " + partition + "/" + offset + " acknowledged for " + previous + " and " + id);
        }
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }

    /** Violations seen while acknowledging (the same offset given twice). */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Starts timing the first acknowledgement after {@code nanos} (a broker start). */
    void mark(long nanos) {
        firstAckAfterMark.set(0);
        markNanos = nanos;
    }

    /** When the first acknowledgement after the mark arrived, or 0 if none yet. */
    long firstAckAfterMark() {
        return firstAckAfterMark.get();
    }

    /** A copy of partition -> (offset -> record id) as acknowledged so far. */
    List<Map<Long, String>> snapshot() {
        List<Map<Long, String>> copy = new ArrayList<>();
        for (ConcurrentHashMap<Long, String> partition : acked) {
            copy.add(new HashMap<>(partition));
        }
        return copy;
    }
}
