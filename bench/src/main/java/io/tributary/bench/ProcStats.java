package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-process CPU time and resident memory from Linux's /proc, so each broker (a child JVM of its
 * own) is charged only for what it did. Stateless; NaN where /proc is missing (not Linux).
 */
final class ProcStats {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat. 100 on every Linux build we run on. */
    private static final double CLOCK_TICKS = 100.0;

    private ProcStats() {}

    /** utime + stime of the process (all its threads), in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After ')': field 3 is state at index 0, so utime (14) and stime (15) are 11 and 12.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmRSS of the process in MiB. */
    static double residentMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return Double.NaN;
    }

    /**
     * Bytes of live objects in the JVM's heap, in KiB: {@code jcmd PID GC.class_histogram}
     * collects the whole heap first (a full GC, whatever the collector's explicit-GC setting)
     * and ends with a "Total" line of instances and bytes. NaN when jcmd fails.
     */
    static double liveHeapKib(long pid) throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
            String last = null;
            try (var out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.trim().startsWith("Total")) {
                        last = line.trim();
                    }
                }
            }
            p.waitFor();
            if (last == null) {
                return Double.NaN;
            }
            String[] f = last.split("\\s+");
            return Long.parseLong(f[2]) / 1024.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg prints them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
