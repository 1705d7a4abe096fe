package io.tributary.protocol.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.xerial.snappy.Snappy;

/**
 * Whole-buffer decompression for record batches. Records are sliced out of the result, so each
 * call returns a fresh heap buffer that the caller owns. Stateless and thread-safe.
 */
final class Codecs {
    /** xerial snappy-java's stream header (SnappyOutputStream), as written by Java clients. */
    private static final byte[] SNAPPY_MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};

    private static final int SNAPPY_HEADER_SIZE = 16;

    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Codecs() {}

    static ByteBuffer decompress(CompressionType type, ByteBuffer src) {
        try {
            switch (type) {
                case NONE:
                    return src.duplicate();
                case GZIP:
                    return readFully(new GZIPInputStream(new ByteBufferInputStream(src), 8 * 1024), src.remaining());
                case SNAPPY:
                    return snappy(src);
                case LZ4:
                    return lz4(src);
                case ZSTD:
                    try (InputStream in = new ZstdInputStreamNoFinalizer(
                            new ByteBufferInputStream(src), RecyclingBufferPool.INSTANCE)) {
                        return readFully(in, src.remaining());
                    }
                default:
                    throw new CorruptRecordException("Unknown compression " + type);
            }
        } catch (CorruptRecordException e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            // SnappyError is an Error; OutOfMemoryError is not bad input and must not be masked.
            if (e instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw new CorruptRecordException("Cannot decompress " + type.name + " record data: " + e, e);
        }
    }

    private static ByteBuffer readFully(InputStream in, int compressedSize) throws IOException {
        byte[] out = new byte[Math.max(1024, Math.min(compressedSize * 4, 1 << 20))];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (out.length == Integer.MAX_VALUE - 8) {
                    throw new CorruptRecordException("Decompressed record data exceeds 2 GiB");
                }
                byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 8, out.length * 2L)];
                System.arraycopy(out, 0, bigger, 0, n);
                out = bigger;
            }
            int r = in.read(out, n, out.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return ByteBuffer.wrap(out, 0, n).slice();
    }

    static boolean isSnappyFramed(ByteBuffer b, int pos) {
        if (b.limit() - pos < SNAPPY_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < SNAPPY_MAGIC.length; i++) {
            if (b.get(pos + i) != SNAPPY_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Java clients write xerial's framed stream; librdkafka writes one raw snappy block. */
    private static ByteBuffer snappy(ByteBuffer src) throws IOException {
        byte[] in;
        int off;
        int len = src.remaining();
        if (src.hasArray()) {
            in = src.array();
            off = src.arrayOffset() + src.position();
        } else {
            in = new byte[len];
            src.duplicate().get(in);
            off = 0;
        }
        ByteBuffer view = ByteBuffer.wrap(in, off, len).slice();
        if (!isSnappyFramed(view, 0)) {
            int n = Snappy.uncompressedLength(in, off, len);
            if (n < 0 || n > maxSnappyExpansion(len)) {
                throw new CorruptRecordException("Invalid raw snappy data");
            }
            byte[] out = new byte[n];
            int written = Snappy.uncompress(in, off, len, out, 0);
            return ByteBuffer.wrap(out, 0, written);
        }
        byte[] out = new byte[Math.max(1024, len * 2)];
        int n = 0;
        int pos = 0;
        while (pos < len) {
            if (isSnappyFramed(view, pos)) {
                // Concatenated streams repeat the header; xerial's reader accepts that too.
                if (len - pos < SNAPPY_HEADER_SIZE) {
                    throw new CorruptRecordException("Truncated snappy stream header");
                }
                pos += SNAPPY_HEADER_SIZE;
                continue;
            }
            if (len - pos < 4) {
                throw new CorruptRecordException("Truncated snappy chunk length");
            }
            int chunk = view.getInt(pos);
            pos += 4;
            if (chunk < 0 || chunk > len - pos) {
                throw new CorruptRecordException(
                        "Snappy chunk of " + chunk + " bytes exceeds the " + (len - pos) + " bytes left");
            }
            int u = Snappy.uncompressedLength(in, off + pos, chunk);
            if (u < 0 || u > maxSnappyExpansion(chunk)) {
                throw new CorruptRecordException("Invalid snappy chunk");
            }
            if (out.length - n < u) {
                long cap = Math.max((long) out.length * 2, (long) n + u);
                if (cap > Integer.MAX_VALUE - 8) {
                    throw new CorruptRecordException("Decompressed record data exceeds 2 GiB");
                }
                byte[] bigger = new byte[(int) cap];
                System.arraycopy(out, 0, bigger, 0, n);
                out = bigger;
            }
            n += Snappy.uncompress(in, off + pos, chunk, out, n);
            pos += chunk;
        }
        return ByteBuffer.wrap(out, 0, n).slice();
    }

    /**
     * A damaged length prefix must not make us allocate gigabytes: no snappy element expands by
     * more than 64 bytes out per 2 bytes in, so a larger claim is corrupt.
     */
    private static long maxSnappyExpansion(int compressedLength) {
        return 32L * compressedLength + 64;
    }

    /** The LZ4 frame format (Kafka's producer and librdkafka both write it); concatenated frames allowed. */
    private static ByteBuffer lz4(ByteBuffer src) {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        int len = in.limit();
        // Sized at the first block, when the frame's block size is known: a guess made before it
        // was always replaced by input + 64 KiB for Kafka's 16 KiB batches (issue 16: two arrays
        // allocated and zeroed per batch; RecordDecodeBench).
        byte[] out = new byte[0];
        int n = 0;
        int pos = 0;
        if (len == 0) {
            throw new CorruptRecordException("Empty lz4 data");
        }
        while (pos < len) {
            need(len, pos, 7);
            int magic = in.getInt(pos);
            if ((magic & 0xfffffff0) == 0x184D2A50) {
                need(len, pos, 8);
                int skip = in.getInt(pos + 4);
                if (skip < 0 || skip > len - pos - 8) {
                    throw new CorruptRecordException("Truncated lz4 skippable frame");
                }
                pos += 8 + skip;
                continue;
            }
            if (magic != Lz4FrameOutputStream.MAGIC) {
                throw new CorruptRecordException("Invalid lz4 frame magic " + Integer.toHexString(magic));
            }
            int descStart = pos + 4;
            int flg = in.get(descStart) & 0xff;
            int bd = in.get(descStart + 1) & 0xff;
            if ((flg >>> 6) != 1) {
                throw new CorruptRecordException("Unsupported lz4 frame version " + (flg >>> 6));
            }
            if ((flg & 0x02) != 0 || (bd & 0x8f) != 0) {
                throw new CorruptRecordException("Reserved bits set in lz4 frame descriptor");
            }
            boolean independent = (flg & 0x20) != 0;
            boolean blockChecksum = (flg & 0x10) != 0;
            boolean contentSize = (flg & 0x08) != 0;
            boolean contentChecksum = (flg & 0x04) != 0;
            boolean dictId = (flg & 0x01) != 0;
            int blockSizeId = (bd >>> 4) & 0x07;
            if (blockSizeId < 4) {
                throw new CorruptRecordException("Invalid lz4 block size id " + blockSizeId);
            }
            int maxBlock = 1 << (2 * blockSizeId + 8);
            int descLen = 2 + (contentSize ? 8 : 0) + (dictId ? 4 : 0);
            need(len, descStart, descLen + 1);
            int hc = (XXHASH.hash(in, descStart, descLen, 0) >> 8) & 0xff;
            if (hc != (in.get(descStart + descLen) & 0xff)) {
                throw new CorruptRecordException("lz4 frame descriptor checksum mismatch");
            }
            pos = descStart + descLen + 1;
            int frameStart = n;
            while (true) {
                need(len, pos, 4);
                int blockHeader = in.getInt(pos);
                pos += 4;
                if (blockHeader == 0) {
                    break;
                }
                boolean raw = (blockHeader & 0x80000000) != 0;
                int size = blockHeader & 0x7fffffff;
                if (size > maxBlock) {
                    throw new CorruptRecordException("lz4 block of " + size + " bytes exceeds the maximum " + maxBlock);
                }
                need(len, pos, size + (blockChecksum ? 4 : 0));
                if (blockChecksum && XXHASH.hash(in, pos, size, 0) != in.getInt(pos + size)) {
                    throw new CorruptRecordException("lz4 block checksum mismatch");
                }
                if (out.length - n < maxBlock) {
                    long cap = Math.max((long) out.length * 2, (long) n + maxBlock);
                    if (out.length == 0) {
                        cap = Math.max(cap, Math.min(len * 4L, 1 << 20));
                    }
                    if (cap > Integer.MAX_VALUE - 8) {
                        throw new CorruptRecordException("Decompressed record data exceeds 2 GiB");
                    }
                    byte[] bigger = new byte[(int) cap];
                    System.arraycopy(out, 0, bigger, 0, n);
                    out = bigger;
                }
                if (raw) {
                    in.get(pos, out, n, size);
                    n += size;
                } else {
                    try {
                        n += LZ4.decompress(in, pos, size, ByteBuffer.wrap(out), n, maxBlock);
                    } catch (RuntimeException e) {
                        throw new CorruptRecordException(
                                "Invalid lz4 block" + (independent ? "" : " (linked blocks are not supported)") + ": "
                                        + e.getMessage(),
                                e);
                    }
                }
                pos += size + (blockChecksum ? 4 : 0);
            }
            if (contentChecksum) {
                need(len, pos, 4);
                if (XXHASH.hash(out, frameStart, n - frameStart, 0) != in.getInt(pos)) {
                    throw new CorruptRecordException("lz4 content checksum mismatch");
                }
                pos += 4;
            }
        }
        return ByteBuffer.wrap(out, 0, n).slice();
    }

    private static void need(int len, int pos, int n) {
        if (n < 0 || len - pos < n) {
            throw new CorruptRecordException("Truncated lz4 frame");
        }
    }
}
