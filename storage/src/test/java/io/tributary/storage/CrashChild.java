package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link SigkillRecoveryTest}: appends idempotent batches (the first
 * half acknowledged as acks=all, the rest acks=1), reports, then waits to be killed.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int batches = Integer.parseInt(args[1]);
        Log log = Log.open(
                dir,
                LogConfig.create(
                        java.util.Map.of(), java.util.Map.of("segment.bytes", "4000", "segment.index.bytes", "4096")),
                Time.SYSTEM);
        long last = -1;
        for (int i = 0; i < batches; i++) {
            AppendResult r = log.append(TestBatches.records(TestBatches.batch(
                    SigkillRecoveryTest.PID, (short) 0, i * 2, System.currentTimeMillis(), "a" + i, "b" + i)));
            if (r.error() != Errors.NONE) {
                throw new IllegalStateException(r.toString());
            }
            if (i < batches / 2) {
                log.flushUpTo(r.lastOffset() + 1).join();
            }
            last = r.lastOffset();
        }
        System.out.println("appended " + last);
        System.out.flush();
        // Wait to be SIGKILLed by the test; if the test JVM dies first, stdin closes and we exit.
        System.in.read();
    }
}
