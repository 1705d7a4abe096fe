package io.tributary.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * The machine's physical floor, measured in the same run as the broker figures so they can be
 * read against it: memory copy and CRC32C speed (one core), loopback TCP through a socket pair
 * in this JVM, and the latency of a 16 KiB write made durable (O_DSYNC, and write then
 * {@code FileChannel.force}) on the file system the brokers write to. Best of a few passes for
 * rates (noise only ever slows a pass down); median for latencies. Runs on the calling thread
 * (plus one writer thread for TCP).
 */
final class MachineLimits {
    private static final int MIB = 1 << 20;

    private MachineLimits() {}

    /** name (with unit) → value. */
    static Map<String, Double> measure(Path dir, boolean quick) throws IOException, InterruptedException {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("memcpy GB/s", memcpy(quick ? 3 : 6));
        out.put("crc32c GB/s", crc32c(quick ? 3 : 6));
        out.put("loopback TCP MB/s", loopback(quick ? 256 : 1024));
        double[] dsync = fsync(dir, true, quick ? 100 : 500);
        out.put("16 KiB O_DSYNC write p50 ms", dsync[0]);
        out.put("16 KiB O_DSYNC write p99 ms", dsync[1]);
        double[] force = fsync(dir, false, quick ? 100 : 500);
        out.put("16 KiB write+force p50 ms", force[0]);
        out.put("16 KiB write+force p99 ms", force[1]);
        return out;
    }

    private static double memcpy(int passes) {
        byte[] from = new byte[64 * MIB];
        byte[] to = new byte[64 * MIB];
        Arrays.fill(from, (byte) 7);
        double best = 0;
        for (int pass = 0; pass < passes; pass++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                System.arraycopy(from, 0, to, 0, from.length);
            }
            best = Math.max(best, 8.0 * from.length / (System.nanoTime() - t0));
        }
        return to[to.length - 1] == 7 ? best : Double.NaN;
    }

    private static double crc32c(int passes) {
        byte[] data = new byte[16 * MIB];
        Arrays.fill(data, (byte) 3);
        double best = 0;
        long sink = 0;
        for (int pass = 0; pass < passes; pass++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                CRC32C crc = new CRC32C();
                crc.update(data, 0, data.length);
                sink += crc.getValue();
            }
            best = Math.max(best, 8.0 * data.length / (System.nanoTime() - t0));
        }
        return sink == 0 ? Double.NaN : best;
    }

    /** A writer thread sends {@code mib} MiB in 64 KiB writes; the reader times their arrival. */
    private static double loopback(int mib) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                    ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                    for (long sent = 0; sent < (long) mib * MIB; sent += chunk.capacity()) {
                        chunk.clear();
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SocketChannel in = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
                long received = 0;
                long t0 = System.nanoTime();
                while (received < (long) mib * MIB) {
                    buf.clear();
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    received += n;
                }
                double mbPerS = received / 1e6 / ((System.nanoTime() - t0) / 1e9);
                writer.join();
                return mbPerS;
            }
        }
    }

    /** {p50, p99} ms of rewriting one 16 KiB block durably, {@code dsync} or write+force. */
    private static double[] fsync(Path dir, boolean dsync, int writes) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "fsync-", ".bin");
        StandardOpenOption[] options = dsync
                ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.DSYNC}
                : new StandardOpenOption[] {StandardOpenOption.WRITE};
        double[] ms = new double[writes];
        try (FileChannel ch = FileChannel.open(file, options)) {
            ByteBuffer block = ByteBuffer.allocateDirect(16 * 1024);
            for (int i = 0; i < writes; i++) {
                block.clear();
                long t0 = System.nanoTime();
                // Appending, as a log does: each write extends the file, so metadata is synced too.
                ch.write(block, (long) i * block.capacity());
                if (!dsync) {
                    ch.force(false);
                }
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(ms);
        return new double[] {ms[writes / 2], ms[Math.min(writes - 1, (int) (writes * 0.99))]};
    }
}
