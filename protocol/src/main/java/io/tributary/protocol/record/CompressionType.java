package io.tributary.protocol.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The record batch codecs, with Kafka's ids (attributes bits 0-2) and config names
 * ({@code compression.type}). Writers produce what the Java client writes, so any client reads
 * our batches; readers also accept what librdkafka writes (raw snappy, LZ4 frames with
 * checksums). Stateless and thread-safe.
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    /** Kafka's defaults ({@code compression.gzip.level} etc.). */
    public static final int GZIP_DEFAULT_LEVEL = Deflater.DEFAULT_COMPRESSION;

    public static final int LZ4_DEFAULT_LEVEL = 9;
    public static final int ZSTD_DEFAULT_LEVEL = 3;

    private static final CompressionType[] BY_ID = values();

    public final byte id;
    public final String name;

    CompressionType(int id, String name) {
        this.id = (byte) id;
        this.name = name;
    }

    public byte id() {
        return id;
    }

    /** @throws IllegalArgumentException for an id other than 0-4 */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("Unknown compression type id: " + id);
        }
        return BY_ID[id];
    }

    /** @throws IllegalArgumentException for a name other than none, gzip, snappy, lz4, zstd */
    public static CompressionType forName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (CompressionType t : BY_ID) {
            if (t.name.equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown compression name: " + name);
    }

    public int defaultLevel() {
        return switch (this) {
            case GZIP -> GZIP_DEFAULT_LEVEL;
            case LZ4 -> LZ4_DEFAULT_LEVEL;
            case ZSTD -> ZSTD_DEFAULT_LEVEL;
            default -> 0;
        };
    }

    /** Wraps {@code out} with this codec at its default level; closing the result finishes the stream. */
    public OutputStream wrapForOutput(OutputStream out) throws IOException {
        return wrapForOutput(out, defaultLevel());
    }

    /** Wraps {@code out} with this codec at {@code level} (ignored by none and snappy). */
    public OutputStream wrapForOutput(OutputStream out, int level) throws IOException {
        switch (this) {
            case NONE:
                return out;
            case GZIP:
                return new BufferedOutputStream(new LevelledGzipOutputStream(out, level), 16 * 1024);
            case SNAPPY:
                return new SnappyOutputStream(out);
            case LZ4:
                return new Lz4FrameOutputStream(out, level);
            case ZSTD:
                return new BufferedOutputStream(
                        new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, level), 16 * 1024);
            default:
                throw new IllegalStateException(name);
        }
    }

    /**
     * Decompresses all of {@code compressed} (position to limit, left untouched) into a new heap
     * buffer.
     *
     * @throws CorruptRecordException if the data is not valid for this codec
     */
    public ByteBuffer decompress(ByteBuffer compressed) {
        return Codecs.decompress(this, compressed);
    }

    /**
     * A stream of the decompressed bytes of {@code compressed}.
     *
     * @throws CorruptRecordException if the data is not valid for this codec
     */
    public InputStream wrapForInput(ByteBuffer compressed) {
        return new ByteBufferInputStream(decompress(compressed));
    }

    @Override
    public String toString() {
        return name;
    }

    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 8 * 1024);
            def.setLevel(level);
        }
    }
}
