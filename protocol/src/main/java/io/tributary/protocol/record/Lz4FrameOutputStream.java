package io.tributary.protocol.record;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes the standard LZ4 frame format the way Kafka's producer does: 64 KiB independent blocks,
 * no block or content checksum, no content size, and the descriptor checksum computed over the
 * descriptor only (Kafka's pre-0.10 "broken" checksum is for magic 0 and never written here).
 * Single-threaded; owned by the batch being written.
 */
final class Lz4FrameOutputStream extends OutputStream {
    static final int MAGIC = 0x184D2204;
    static final int BLOCK_SIZE = 64 * 1024;
    /** Version 01 and independent blocks. */
    private static final byte FLG = 0x60;
    /** Block maximum size id 4 = 64 KiB. */
    private static final byte BD = 0x40;

    private static final int UNCOMPRESSED_FLAG = 0x80000000;

    private final OutputStream out;
    private final LZ4Compressor compressor;
    private final byte[] block = new byte[BLOCK_SIZE];
    private final byte[] compressed;
    private int blockLen;
    private boolean closed;

    Lz4FrameOutputStream(OutputStream out, int level) throws IOException {
        this.out = out;
        LZ4Factory factory = LZ4Factory.fastestInstance();
        // As Kafka: its default level (9) means the fast compressor, any other level LZ4-HC.
        this.compressor =
                level == CompressionType.LZ4_DEFAULT_LEVEL ? factory.fastCompressor() : factory.highCompressor(level);
        this.compressed = new byte[compressor.maxCompressedLength(BLOCK_SIZE)];
        byte[] header = new byte[7];
        writeIntLE(header, 0, MAGIC);
        header[4] = FLG;
        header[5] = BD;
        header[6] = (byte) ((XXHashFactory.fastestInstance().hash32().hash(header, 4, 2, 0) >> 8) & 0xff);
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        if (blockLen == BLOCK_SIZE) {
            writeBlock();
        }
        block[blockLen++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (blockLen == BLOCK_SIZE) {
                writeBlock();
            }
            int n = Math.min(len, BLOCK_SIZE - blockLen);
            System.arraycopy(b, off, block, blockLen, n);
            blockLen += n;
            off += n;
            len -= n;
        }
    }

    private void writeBlock() throws IOException {
        if (blockLen == 0) {
            return;
        }
        int n = compressor.compress(block, 0, blockLen, compressed, 0, compressed.length);
        byte[] sizeBytes = new byte[4];
        if (n >= blockLen) {
            writeIntLE(sizeBytes, 0, blockLen | UNCOMPRESSED_FLAG);
            out.write(sizeBytes);
            out.write(block, 0, blockLen);
        } else {
            writeIntLE(sizeBytes, 0, n);
            out.write(sizeBytes);
            out.write(compressed, 0, n);
        }
        blockLen = 0;
    }

    @Override
    public void flush() throws IOException {
        writeBlock();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        writeBlock();
        out.write(new byte[4]);
        out.close();
    }

    static void writeIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
