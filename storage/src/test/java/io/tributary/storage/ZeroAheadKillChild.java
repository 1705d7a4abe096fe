package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a separate JVM by {@link ZeroAheadKillTest}: appends small batches acks=all without end
 * (each fsync small, so the zeroer writes ahead of every active segment and segments roll
 * often), printing "acked N" after each fsync covers offset N, until it is killed.
 */
public final class ZeroAheadKillChild {
    private ZeroAheadKillChild() {}

    public static void main(String[] args) throws Exception {
        Log log = Log.open(Path.of(args[0]), LogConfig.create(Map.of(), Map.of("segment.bytes", args[1])), Time.SYSTEM);
        for (int i = 0; ; i++) {
            AppendResult r = log.append(TestBatches.plain(i, 3, 100));
            if (r.error() != Errors.NONE) {
                throw new IllegalStateException(r.toString());
            }
            log.flushUpTo(r.lastOffset() + 1).join();
            System.out.println("acked " + r.lastOffset());
        }
    }
}
