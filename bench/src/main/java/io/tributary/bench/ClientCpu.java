package io.tributary.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a consumer's threads in this JVM (issue 16: on a 2-core machine the client's CPU
 * per record, not its wall-clock rate, decides). The reading thread and any thread whose name
 * says it belongs to a consumer (ours: "tributary-consumer-network-thread", Apache's classic
 * consumer does its I/O on the reading thread, its new one on "consumer_background_thread") from {@link ThreadMXBean} in nanoseconds; the GC
 * threads from /proc/self/task (10 ms ticks, shared with an embedded broker in the same JVM).
 * Take a snapshot before and after, then {@link #since}.
 */
record ClientCpu(long appNs, Map<Long, Long> networkNs, long gcTickCount, long networkSysTickCount) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The calling thread's, the consumer threads' and the GC threads' CPU time now. */
    static ClientCpu now() {
        Map<Long, Long> network = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null
                    && (t.getThreadName().contains("consumer-network-thread")
                            || t.getThreadName().contains("consumer_background_thread"))) {
                long ns = THREADS.getThreadCpuTime(t.getThreadId());
                if (ns >= 0) {
                    network.put(t.getThreadId(), ns);
                }
            }
        }
        long[] ticks = procTicks();
        return new ClientCpu(THREADS.getCurrentThreadCpuTime(), network, ticks[0], ticks[1]);
    }

    /**
     * CPU ns per record between {@code before} and now: {app, network, gc, network in the kernel}
     * (the last: our network thread's system time, the socket reads' kernel copy and TCP work).
     */
    double[] since(ClientCpu before, long records) {
        long net = 0;
        for (Map.Entry<Long, Long> e : networkNs.entrySet()) {
            net += e.getValue() - before.networkNs.getOrDefault(e.getKey(), 0L);
        }
        double n = Math.max(1, records);
        // 10 ms per tick (USER_HZ 100)
        return new double[] {
            (appNs - before.appNs) / n,
            net / n,
            (gcTickCount - before.gcTickCount) * 10_000_000.0 / n,
            (networkSysTickCount - before.networkSysTickCount) * 10_000_000.0 / n
        };
    }

    /**
     * {utime + stime of this JVM's GC worker threads ("GC Thread#N", "G1 ..."), stime of our
     * consumer's network thread (its name as the kernel keeps it, cut to 15 characters)} in ticks.
     */
    private static long[] procTicks() {
        long[] ticks = new long[2];
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    // After ')': utime and stime are the 12th and 13th fields.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        ticks[0] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    } else if (name.startsWith("tributary-consu")) {
                        ticks[1] += Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException | RuntimeException e) {
            return ticks; // not Linux
        }
        return ticks;
    }
}
