package io.tributary.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

/** Codec ids, names and streams, including the framings other clients write (B1). */
class CompressionTypeTest {

    @Test
    void idsAndNamesMatchKafka() {
        for (CompressionType t : CompressionType.values()) {
            org.apache.kafka.common.record.internal.CompressionType k =
                    org.apache.kafka.common.record.internal.CompressionType.forId(t.id);
            assertThat(k.name).isEqualTo(t.name);
            assertThat(CompressionType.forId(t.id)).isSameAs(t);
            assertThat(CompressionType.forName(t.name)).isSameAs(t);
        }
        assertThat(CompressionType.forName("ZSTD")).isSameAs(CompressionType.ZSTD);
        assertThatThrownBy(() -> CompressionType.forId(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompressionType.forName("brotli")).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] sample(int n) {
        Random r = new Random(n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt() : i % 13);
        }
        return b;
    }

    static byte[] compress(CompressionType t, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = t.wrapForOutput(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void roundTripsSmallAndMultiBlockData(CompressionType t) throws IOException {
        for (int n : new int[] {0, 1, 1000, 200_000}) {
            byte[] data = sample(n);
            byte[] compressed = compress(t, data);
            assertThat(KafkaReference.toArray(t.decompress(ByteBuffer.wrap(compressed))))
                    .isEqualTo(data);
            try (InputStream in = t.wrapForInput(ByteBuffer.wrap(compressed))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            // Direct buffers (a client may read a response into one) decode the same.
            ByteBuffer direct =
                    ByteBuffer.allocateDirect(compressed.length).put(compressed).flip();
            assertThat(KafkaReference.toArray(t.decompress(direct))).isEqualTo(data);
            assertThat(direct.position()).isZero();
        }
    }

    @Test
    void unframedSnappyAsLibrdkafkaWritesItDecodes() throws IOException {
        byte[] data = sample(5000);
        byte[] raw = Snappy.compress(data);
        assertThat(KafkaReference.toArray(CompressionType.SNAPPY.decompress(ByteBuffer.wrap(raw))))
                .isEqualTo(data);
    }

    @Test
    void snappyLengthClaimsBeyondAnyPossibleExpansionAreRejectedBeforeAllocating() {
        // Raw snappy starting with a varint of 2^28 - 1 bytes, followed by almost nothing.
        byte[] raw = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x00, 0x01, 0x02};
        assertThatThrownBy(() -> CompressionType.SNAPPY.decompress(ByteBuffer.wrap(raw)))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void concatenatedFramedSnappyStreamsDecode() throws IOException {
        byte[] a = sample(100);
        byte[] b = sample(70_000);
        byte[] ca = compress(CompressionType.SNAPPY, a);
        byte[] cb = compress(CompressionType.SNAPPY, b);
        byte[] both = Arrays.copyOf(ca, ca.length + cb.length);
        System.arraycopy(cb, 0, both, ca.length, cb.length);
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertThat(KafkaReference.toArray(CompressionType.SNAPPY.decompress(ByteBuffer.wrap(both))))
                .isEqualTo(expected);
    }

    @Test
    void lz4FramesWithChecksumsAndContentSizeDecode() throws IOException {
        // librdkafka uses the reference LZ4F library, which may add checksums and a content size.
        byte[] data = sample(300_000);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new LZ4FrameOutputStream(
                bos,
                LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB,
                data.length,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
            out.write(data);
        }
        byte[] frame = bos.toByteArray();
        assertThat(KafkaReference.toArray(CompressionType.LZ4.decompress(ByteBuffer.wrap(frame))))
                .isEqualTo(data);

        byte[] badContentChecksum = frame.clone();
        badContentChecksum[badContentChecksum.length - 1] ^= 1;
        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(badContentChecksum)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("content checksum");
    }

    @Test
    void ourLz4FramesReadWithKafkasAndTheReferenceReader() throws IOException {
        byte[] data = sample(150_000);
        byte[] ours = compress(CompressionType.LZ4, data);
        try (InputStream in = new net.jpountz.lz4.LZ4FrameInputStream(new java.io.ByteArrayInputStream(ours))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        try (InputStream in = new org.apache.kafka.common.compress.Lz4BlockInputStream(
                ByteBuffer.wrap(ours), org.apache.kafka.common.utils.BufferSupplier.NO_CACHING, false)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void damagedCompressedDataIsCorruptRecordNotAnotherException(CompressionType t) throws IOException {
        byte[] data = sample(20_000);
        byte[] compressed = compress(t, data);
        Random random = new Random(t.id);
        int corrupt = 0;
        for (int i = 0; i < 300; i++) {
            byte[] damaged;
            if (i % 3 == 0) {
                damaged = Arrays.copyOf(compressed, random.nextInt(compressed.length));
            } else {
                damaged = compressed.clone();
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                t.decompress(ByteBuffer.wrap(damaged));
            } catch (CorruptRecordException e) {
                corrupt++;
            }
        }
        // Some damage is undetectable by a codec without checksums; most must be caught.
        assertThat(corrupt).isGreaterThan(50);
        assertThatThrownBy(() -> t.decompress(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})))
                .isInstanceOf(CorruptRecordException.class);
    }
}
