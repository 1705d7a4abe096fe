package io.tributary.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits, before a client is measured in this JVM, until the JIT compilers have gone quiet (issue
 * 16). The clients part runs both clients in the bench JVM, and a warm-up pass as long as the
 * measured one still left C2 compiling through the measurement: async-profiler counted 11.6 s of
 * C2 CPU against 7.1 s of the main thread over one clients part, and top showed a C2 thread at
 * 33-71% of a core while the first producer of a round was timed. On 2 cores that CPU is taken
 * from whichever client is measured first in the round (the first round always starts with ours),
 * so both clients now wait for the same quiet. Bench threads only.
 */
final class JitSettle {
    /** Quiet means no compilation time added over this long. */
    private static final long QUIET_MS = 300;
    /** A JVM that keeps compiling is measured anyway after this long. */
    private static final long MAX_WAIT_MS = 15_000;

    private JitSettle() {}

    /** The JIT's compilation time so far in this JVM (ms, summed over its threads), or -1 when not reported. */
    static long compiledMs() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? -1 : jit.getTotalCompilationTime();
    }

    /**
     * Returns once the JIT added no compilation time over {@value #QUIET_MS} ms, or after
     * {@value #MAX_WAIT_MS} ms; the milliseconds waited, or -1 when this JVM reports no
     * compilation time (nothing to wait for).
     */
    static long await() throws InterruptedException {
        long before = compiledMs();
        if (before < 0) {
            return -1;
        }
        long start = System.nanoTime();
        long deadline = start + MAX_WAIT_MS * 1_000_000;
        // A quiet period can only be observed by waiting it out: this polls the JIT's counter, it
        // does not stand in for a signal from another thread.
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_MS);
            long now = compiledMs();
            if (now == before) {
                break;
            }
            before = now;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
