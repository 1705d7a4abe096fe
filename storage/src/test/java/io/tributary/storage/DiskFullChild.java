package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link DiskFullTest} in a JVM whose file size limit (ulimit -f) stops the segment file
 * part-way through a write: appends until one fails, then reports what the log looks like.
 */
public final class DiskFullChild {
    private DiskFullChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Log log = Log.open(dir, LogConfig.create(Map.of(), Map.of("segment.index.bytes", "4096")), Time.SYSTEM);
        AppendResult r;
        long lastGood = -1;
        int attempts = 0;
        do {
            r = log.append(TestBatches.plain(System.currentTimeMillis(), 3, 333));
            if (r.error() == Errors.NONE) {
                lastGood = r.lastOffset();
            }
        } while (r.error() == Errors.NONE && ++attempts < 10_000);
        long fileSize = Files.size(dir.resolve("00000000000000000000.log"));
        ByteBuffer all = log.read(0, Integer.MAX_VALUE, false).records().toByteBuffer();
        boolean intact = TestBatches.allValid(all) && all.remaining() == fileSize && log.size() == fileSize;
        // a smaller batch still fits below the limit: the log keeps working
        AppendResult small = log.append(TestBatches.plain(System.currentTimeMillis(), 1, 1));
        System.out.println("result error=" + r.error() + " lastGood=" + lastGood + " leo=" + log.logEndOffset()
                + " intact=" + intact + " offline=" + log.isOffline() + " small=" + small.error());
        System.out.flush();
        System.exit(0);
    }
}
