package io.tributary.protocol.record;

import static io.tributary.protocol.record.KafkaReference.copy;
import static io.tributary.protocol.record.KafkaReference.kafkaBuild;
import static io.tributary.protocol.record.KafkaReference.ourBuild;
import static io.tributary.protocol.record.KafkaReference.toArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.record.KafkaReference.BatchSpec;
import io.tributary.protocol.record.KafkaReference.Spec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

/** Batch views over bad input: CRC, truncation, garbage, foreign framings (B1). */
class RecordBatchTest {

    private static ByteBuffer sampleBatch(CompressionType codec, int records) {
        return ourBuild(BatchSpec.plain(codec), KafkaReference.randomSpecs(new Random(records), records));
    }

    @Test
    void everyCorruptedByteUnderTheCrcFailsValidation() {
        ByteBuffer good = sampleBatch(CompressionType.NONE, 5);
        assertThat(RecordBatch.readFrom(good).isValid()).isTrue();
        for (int i = RecordBatchHeader.CRC; i < good.remaining(); i++) {
            ByteBuffer bad = copy(good);
            bad.put(i, (byte) (bad.get(i) ^ 0x10));
            RecordBatch batch = RecordBatch.readFrom(bad);
            assertThat(batch.isValid()).as("byte %d", i).isFalse();
            assertThatThrownBy(batch::ensureValid)
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("stored crc");
            // Kafka agrees that it is corrupt.
            assertThat(KafkaReference.kafkaRead(bad).batches().iterator().next().isValid())
                    .isFalse();
        }
    }

    @Test
    void rewritingBaseOffsetAndLeaderEpochKeepsTheCrcValid() {
        ByteBuffer buf = sampleBatch(CompressionType.GZIP, 10);
        RecordBatch batch = RecordBatch.readFrom(buf);
        batch.setBaseOffset(1_000_000L);
        batch.setPartitionLeaderEpoch(12);
        batch.ensureValid();
        assertThat(batch.records())
                .extracting(Record::offset)
                .startsWith(1_000_000L)
                .endsWith(1_000_009L);
        org.apache.kafka.common.record.internal.MutableRecordBatch kb =
                KafkaReference.kafkaRead(buf).batches().iterator().next();
        kb.ensureValid();
        assertThat(kb.baseOffset()).isEqualTo(1_000_000L);
        assertThat(kb.partitionLeaderEpoch()).isEqualTo(12);
    }

    @Test
    void logAppendTimeStampRewritesTheCrcAsKafkaExpects() {
        ByteBuffer buf = sampleBatch(CompressionType.SNAPPY, 3);
        RecordBatchHeader.setLogAppendTime(buf, 0, 1_900_000_000_000L);
        org.apache.kafka.common.record.internal.MutableRecordBatch kb =
                KafkaReference.kafkaRead(buf).batches().iterator().next();
        kb.ensureValid();
        assertThat(kb.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
        for (org.apache.kafka.common.record.internal.Record r : kb) {
            assertThat(r.timestamp()).isEqualTo(1_900_000_000_000L);
        }
        assertThat(RecordBatch.readFrom(buf).records())
                .allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(1_900_000_000_000L));
    }

    @Test
    void partialTrailingBatchEndsIterationCleanly() {
        ByteBuffer one = sampleBatch(CompressionType.NONE, 4);
        ByteBuffer two = sampleBatch(CompressionType.LZ4, 9);
        byte[] both = new byte[one.remaining() + two.remaining()];
        one.duplicate().get(both, 0, one.remaining());
        two.duplicate().get(both, one.remaining(), two.remaining());
        for (int cut = one.remaining(); cut < both.length; cut++) {
            MemoryRecords mr = MemoryRecords.readableRecords(ByteBuffer.wrap(both, 0, cut));
            List<RecordBatch> batches = new ArrayList<>();
            mr.batches().forEach(batches::add);
            assertThat(batches).as("cut at %d", cut).hasSize(1);
            assertThat(mr.validBytes()).isEqualTo(one.remaining());
            List<Record> records = new ArrayList<>();
            mr.records().forEach(records::add);
            assertThat(records).hasSize(4);
        }
        MemoryRecords whole = MemoryRecords.readableRecords(ByteBuffer.wrap(both));
        assertThat(whole.validBytes()).isEqualTo(both.length);
        List<Record> records = new ArrayList<>();
        whole.records().forEach(records::add);
        assertThat(records).hasSize(13);
        assertThat(MemoryRecords.readableRecords(ByteBuffer.wrap(both, 0, 11)).hasBatches())
                .isFalse();
        assertThat(MemoryRecords.EMPTY.batches()).isEmpty();
    }

    @Test
    void iterationDoesNotMoveTheSharedBuffer() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        buf.position(7);
        buf.put(sampleBatch(CompressionType.ZSTD, 6));
        buf.flip().position(7);
        MemoryRecords mr = MemoryRecords.readableRecords(buf);
        int n = 0;
        for (Record r : mr.records()) {
            assertThat(r.offset()).isEqualTo(n++);
        }
        assertThat(n).isEqualTo(6);
        assertThat(buf.position()).isEqualTo(7);
        assertThat(mr.firstBatch().position()).isEqualTo(7);
    }

    @Test
    void garbageAndBadHeadersGiveClearErrors() {
        ByteBuffer good = sampleBatch(CompressionType.NONE, 2);

        ByteBuffer shortLength = copy(good);
        shortLength.putInt(RecordBatchHeader.BATCH_LENGTH, 20);
        assertThatThrownBy(() -> MemoryRecords.readableRecords(shortLength)
                        .batches()
                        .iterator()
                        .hasNext())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("below the minimum");

        ByteBuffer magic1 = copy(good);
        magic1.put(RecordBatchHeader.MAGIC, (byte) 1);
        assertThatThrownBy(() -> MemoryRecords.readableRecords(magic1).firstBatch())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("magic 1");

        ByteBuffer badCodec = copy(good);
        badCodec.putShort(RecordBatchHeader.ATTRIBUTES, (short) 6);
        RecordBatchHeader.writeCrc(badCodec, 0);
        RecordBatch b = RecordBatch.readFrom(badCodec);
        b.ensureValid();
        assertThatThrownBy(b::compressionType)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("compression type id 6");
        assertThatThrownBy(() -> b.iterator().next()).isInstanceOf(CorruptRecordException.class);

        ByteBuffer tooFew = copy(good);
        tooFew.putInt(RecordBatchHeader.RECORDS_COUNT, 1);
        assertThatThrownBy(() -> RecordBatch.readFrom(tooFew).records())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("bytes remain");

        ByteBuffer tooMany = copy(good);
        tooMany.putInt(RecordBatchHeader.RECORDS_COUNT, 3);
        assertThatThrownBy(() -> RecordBatch.readFrom(tooMany).records()).isInstanceOf(CorruptRecordException.class);

        ByteBuffer negative = copy(good);
        negative.putInt(RecordBatchHeader.RECORDS_COUNT, -1);
        assertThatThrownBy(() -> RecordBatch.readFrom(negative).iterator())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("invalid record count");

        assertThatThrownBy(() -> RecordBatch.at(ByteBuffer.allocate(30), 0))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("header needs 61 bytes");
    }

    /** Random damage anywhere, CRC fixed up so the record parser sees it: only our exception may escape. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void fuzzedBatchesFailOnlyWithCorruptRecordException(CompressionType codec) {
        ByteBuffer good = sampleBatch(codec, 25);
        byte[] bytes = toArray(good);
        Random random = new Random(99 + codec.id);
        int failures = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] damaged = bytes.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int at = RecordBatchHeader.ATTRIBUTES + random.nextInt(damaged.length - RecordBatchHeader.ATTRIBUTES);
                damaged[at] = (byte) random.nextInt();
            }
            int len = i % 5 == 0 ? random.nextInt(damaged.length + 1) : damaged.length;
            ByteBuffer buf = ByteBuffer.wrap(damaged, 0, len);
            if (len >= RecordBatchHeader.SIZE && i % 5 != 0) {
                RecordBatchHeader.writeCrc(buf, 0);
            }
            try {
                for (RecordBatch batch : MemoryRecords.readableRecords(buf).batches()) {
                    batch.ensureValid();
                    for (Record r : batch) {
                        r.headers();
                    }
                }
            } catch (CorruptRecordException e) {
                assertThat(e.getMessage()).isNotBlank();
                failures++;
            }
        }
        assertThat(failures).isGreaterThan(100);
    }

    /** A batch whose records are compressed by another writer, header and CRC made by us. */
    private static ByteBuffer rewrap(ByteBuffer batch, CompressionType codec, byte[] compressedRecords) {
        ByteBuffer out = ByteBuffer.allocate(RecordBatchHeader.SIZE + compressedRecords.length);
        ByteBuffer header = batch.duplicate();
        header.limit(header.position() + RecordBatchHeader.SIZE);
        out.put(header).put(compressedRecords).flip();
        out.putInt(RecordBatchHeader.BATCH_LENGTH, out.remaining() - RecordBatchHeader.LOG_OVERHEAD);
        out.putShort(RecordBatchHeader.ATTRIBUTES, (short) (out.getShort(RecordBatchHeader.ATTRIBUTES) | codec.id));
        RecordBatchHeader.writeCrc(out, 0);
        return out;
    }

    private static byte[] recordsSection(ByteBuffer uncompressedBatch) {
        byte[] all = toArray(uncompressedBatch);
        return Arrays.copyOfRange(all, RecordBatchHeader.SIZE, all.length);
    }

    @Test
    void librdkafkaStyleBatchesDecode() throws Exception {
        List<Spec> specs = KafkaReference.randomSpecs(new Random(7), 40);
        ByteBuffer plain = kafkaBuild(BatchSpec.plain(CompressionType.NONE), specs);
        byte[] records = recordsSection(plain);

        ByteBuffer rawSnappy = rewrap(plain, CompressionType.SNAPPY, Snappy.compress(records));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream out = new LZ4FrameOutputStream(
                bos,
                LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                records.length,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
            out.write(records);
        }
        ByteBuffer lz4 = rewrap(plain, CompressionType.LZ4, bos.toByteArray());

        for (ByteBuffer batchBuf : List.of(rawSnappy, lz4)) {
            RecordBatch batch = RecordBatch.readFrom(batchBuf);
            batch.ensureValid();
            List<Record> read = batch.records();
            assertThat(read).hasSize(specs.size());
            for (int i = 0; i < specs.size(); i++) {
                assertThat(read.get(i).keyBytes()).isEqualTo(specs.get(i).key());
                assertThat(read.get(i).valueBytes()).isEqualTo(specs.get(i).value());
                assertThat(read.get(i).headers()).containsExactly(specs.get(i).headers());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void directBuffersReadLikeHeapBuffers(CompressionType codec) {
        List<Spec> specs = KafkaReference.randomSpecs(new Random(3), 30);
        ByteBuffer heap = kafkaBuild(BatchSpec.plain(codec), specs);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining())
                .put(heap.duplicate())
                .flip();
        RecordBatch batch = MemoryRecords.readableRecords(direct).firstBatch();
        batch.ensureValid();
        List<Record> read = batch.records();
        for (int i = 0; i < specs.size(); i++) {
            assertThat(read.get(i).keyBytes()).isEqualTo(specs.get(i).key());
            assertThat(read.get(i).valueBytes()).isEqualTo(specs.get(i).value());
            assertThat(read.get(i).headers()).containsExactly(specs.get(i).headers());
        }
        assertThat(ProduceValidator.validate(direct, 1 << 20).isValid()).isTrue();
    }

    @Test
    void uncompressedRecordsAreViewsNotCopies() {
        ByteBuffer buf = ourBuild(
                BatchSpec.plain(CompressionType.NONE),
                List.of(new Spec(5L, "key".getBytes(), "value".getBytes(), new Header[0])));
        Record r = RecordBatch.readFrom(buf).iterator().next();
        ByteBuffer value = r.value();
        assertThat(value.hasArray()).isTrue();
        assertThat(value.array()).isSameAs(buf.array());
        // Callers moving the returned buffer do not disturb the record.
        value.get();
        assertThat(r.valueSize()).isEqualTo(5);
    }
}
