package io.tributary.bench;

import java.util.BitSet;

/**
 * Proves a read returned each of the {@code expected} records of a {@link DataSet} exactly once
 * and counts their bytes. Confined to the thread that reads.
 */
final class ReadCheck {
    private final long expected;
    private final BitSet seen;
    private long received;
    private long bytes;
    private long duplicates;
    private long foreign;
    private ClientCpu cpuAtStart;
    private ClientCpu cpuAtEnd;

    ReadCheck(long expected) {
        if (expected > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " records per run");
        }
        this.expected = expected;
        this.seen = new BitSet((int) expected);
    }

    void accept(byte[] value) {
        received++;
        bytes += value == null ? 0 : value.length;
        long seq = DataSet.sequenceOf(value);
        if (seq < 0 || seq >= expected) {
            foreign++;
        } else if (seen.get((int) seq)) {
            duplicates++;
        } else {
            seen.set((int) seq);
        }
    }

    /** Called by the reading client where its clock starts, before the first poll. */
    void clockStarted() {
        cpuAtStart = ClientCpu.now();
    }

    /** Called by the reading client where its clock stops, before the consumer closes (its threads end). */
    void clockStopped() {
        cpuAtEnd = ClientCpu.now();
    }

    /** CPU ns per record received, as {@link ClientCpu#since}; null if unmeasured. */
    double[] cpuNsPerRecord() {
        return cpuAtStart == null || cpuAtEnd == null ? null : cpuAtEnd.since(cpuAtStart, received);
    }

    boolean done() {
        return received >= expected;
    }

    long received() {
        return received;
    }

    long bytes() {
        return bytes;
    }

    /** Null when every record arrived once, else what went wrong. */
    String problem() {
        if (received < expected) {
            return "timed out after " + received + " of " + expected + " records";
        }
        if (duplicates > 0 || foreign > 0 || seen.cardinality() != expected) {
            return "data mismatch: " + seen.cardinality() + " distinct of " + expected + ", " + duplicates
                    + " duplicates, " + foreign + " not ours";
        }
        return null;
    }
}
