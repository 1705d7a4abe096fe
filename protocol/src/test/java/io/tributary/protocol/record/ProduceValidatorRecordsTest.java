package io.tributary.protocol.record;

import static io.tributary.protocol.record.KafkaReference.copy;
import static io.tributary.protocol.record.KafkaReference.kafkaBuild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.KafkaReference.BatchSpec;
import io.tributary.protocol.record.ProduceValidator.BatchInfo;
import io.tributary.protocol.record.ProduceValidator.Result;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Produce-path validation of client batches without decompressing or copying (B1). */
class ProduceValidatorRecordsTest {
    private static final int MAX = 1_048_588;
    private static final short V11 = 11;

    private static ByteBuffer producerBatch(CompressionType codec, int records) {
        BatchSpec spec = new BatchSpec(
                codec, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, 77L, (short) 4, 10, true, -1);
        return kafkaBuild(spec, KafkaReference.randomSpecs(new Random(records), records));
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (ByteBuffer p : parts) {
            out.put(p.duplicate());
        }
        return out.flip();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void acceptsKafkaProducerBatchesAndReportsWhatStorageNeeds(CompressionType codec) {
        ByteBuffer buf = producerBatch(codec, 17);
        Result result = ProduceValidator.validate(buf, MAX, V11);
        assertThat(result.isValid()).as("%s", result).isTrue();
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.batches()).hasSize(1);
        BatchInfo info = result.batches().get(0);
        RecordBatch view = RecordBatch.readFrom(buf);
        assertThat(info.position()).isZero();
        assertThat(info.sizeInBytes()).isEqualTo(buf.remaining());
        assertThat(info.count()).isEqualTo(17);
        assertThat(info.maxTimestamp()).isEqualTo(view.maxTimestamp());
        assertThat(info.producerId()).isEqualTo(77L);
        assertThat(info.producerEpoch()).isEqualTo((short) 4);
        assertThat(info.baseSequence()).isEqualTo(10);
        assertThat(info.lastSequence()).isEqualTo(26);
        assertThat(info.isTransactional()).isTrue();
        assertThat(info.compression()).isEqualTo(codec);
        assertThat(info.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(result.recordCount()).isEqualTo(17);
    }

    @Test
    void offsetsAreAssignedInPlaceWithoutCopyingAndKafkaReadsThem() {
        ByteBuffer request = ByteBuffer.allocate(4096);
        request.position(100);
        request.put(producerBatch(CompressionType.LZ4, 5));
        request.flip().position(100);
        Result result = ProduceValidator.validate(request, MAX, V11);
        assertThat(result.isValid()).isTrue();
        assertThat(request.position()).isEqualTo(100);
        assertThat(result.batches().get(0).position()).isEqualTo(100);

        long next = result.assignOffsets(request, 5_000L);
        result.setPartitionLeaderEpoch(request, 3);
        assertThat(next).isEqualTo(5_005L);
        org.apache.kafka.common.record.internal.MutableRecordBatch kb =
                KafkaReference.kafkaRead(request).batches().iterator().next();
        kb.ensureValid();
        assertThat(kb.baseOffset()).isEqualTo(5_000L);
        assertThat(kb.lastOffset()).isEqualTo(5_004L);
        assertThat(kb.partitionLeaderEpoch()).isEqualTo(3);

        result.setLogAppendTime(request, 1_777_000_000_000L);
        RecordBatch ours = RecordBatch.readFrom(request);
        ours.ensureValid();
        assertThat(ours.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(ours.maxTimestamp()).isEqualTo(1_777_000_000_000L);
    }

    @Test
    void rejectsLegacyMagicAsUnsupportedFormat() {
        ByteBuffer buf = copy(producerBatch(CompressionType.NONE, 2));
        buf.put(RecordBatchHeader.MAGIC, (byte) 1);
        assertThat(ProduceValidator.validate(buf, MAX, V11).error()).isEqualTo(Errors.INVALID_RECORD);
        // A v0 message set shorter than a v2 header is still recognised by its magic.
        ByteBuffer v0 = ByteBuffer.allocate(30);
        v0.putInt(8, 18).put(16, (byte) 0);
        assertThat(ProduceValidator.validate(v0, MAX, V11).error()).isEqualTo(Errors.INVALID_RECORD);
    }

    @Test
    void rejectsStructuralDamageAsCorruptMessage() {
        ByteBuffer good = producerBatch(CompressionType.GZIP, 3);

        ByteBuffer trailing = concat(good, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(ProduceValidator.validate(trailing, MAX).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        for (int cut : new int[] {5, 17, 40, 61, good.remaining() - 1}) {
            ByteBuffer partial = copy(good).limit(cut);
            Result r = ProduceValidator.validate(partial, MAX);
            assertThat(r.error()).as("cut %d", cut).isEqualTo(Errors.CORRUPT_MESSAGE);
            assertThat(r.errorMessage()).isNotBlank();
        }

        ByteBuffer longer = copy(good);
        longer.putInt(RecordBatchHeader.BATCH_LENGTH, longer.getInt(RecordBatchHeader.BATCH_LENGTH) + 1);
        assertThat(ProduceValidator.validate(longer, MAX).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        ByteBuffer tiny = copy(good);
        tiny.putInt(RecordBatchHeader.BATCH_LENGTH, 10);
        assertThat(ProduceValidator.validate(tiny, MAX).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        ByteBuffer badCrc = copy(good);
        badCrc.put(badCrc.limit() - 1, (byte) (badCrc.get(badCrc.limit() - 1) ^ 1));
        Result crc = ProduceValidator.validate(badCrc, MAX, V11);
        assertThat(crc.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(crc.errorMessage()).contains("crc");

        ByteBuffer badCodec = copy(good);
        badCodec.putShort(RecordBatchHeader.ATTRIBUTES, (short) 7);
        RecordBatchHeader.writeCrc(badCodec, 0);
        assertThat(ProduceValidator.validate(badCodec, MAX).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
    }

    @Test
    void rejectsInconsistentCountsAsInvalidRecord() {
        ByteBuffer good = producerBatch(CompressionType.NONE, 3);

        ByteBuffer zero = copy(good);
        zero.putInt(RecordBatchHeader.RECORDS_COUNT, 0);
        RecordBatchHeader.writeCrc(zero, 0);
        assertThat(ProduceValidator.validate(zero, MAX).error()).isEqualTo(Errors.INVALID_RECORD);

        ByteBuffer mismatch = copy(good);
        mismatch.putInt(RecordBatchHeader.LAST_OFFSET_DELTA, 5);
        RecordBatchHeader.writeCrc(mismatch, 0);
        assertThat(ProduceValidator.validate(mismatch, MAX).error()).isEqualTo(Errors.INVALID_RECORD);

        ByteBuffer offset = copy(good);
        offset.putLong(RecordBatchHeader.BASE_OFFSET, 9L);
        assertThat(ProduceValidator.validate(offset, MAX).error()).isEqualTo(Errors.INVALID_RECORD);

        ByteBuffer noSequence = copy(good);
        noSequence.putInt(RecordBatchHeader.BASE_SEQUENCE, -1);
        RecordBatchHeader.writeCrc(noSequence, 0);
        assertThat(ProduceValidator.validate(noSequence, MAX).error()).isEqualTo(Errors.INVALID_RECORD);

        assertThat(ProduceValidator.validate(ByteBuffer.allocate(0), MAX).error())
                .isEqualTo(Errors.INVALID_RECORD);
    }

    @Test
    void rejectsControlBatchesFromClients() {
        ByteBuffer marker = org.apache.kafka.common.record.internal.MemoryRecords.withEndTransactionMarker(
                        0L,
                        1L,
                        0,
                        5L,
                        (short) 0,
                        new org.apache.kafka.common.record.internal.EndTransactionMarker(
                                org.apache.kafka.common.record.internal.ControlRecordType.COMMIT, 1))
                .buffer();
        Result r = ProduceValidator.validate(marker, MAX, V11);
        assertThat(r.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(r.errorMessage()).contains("control");
    }

    @Test
    void rejectsBatchesAboveMaxMessageBytes() {
        ByteBuffer buf = producerBatch(CompressionType.NONE, 40);
        assertThat(ProduceValidator.validate(buf, buf.remaining(), V11).isValid())
                .isTrue();
        assertThat(ProduceValidator.validate(buf, buf.remaining() - 1, V11).error())
                .isEqualTo(Errors.MESSAGE_TOO_LARGE);
    }

    @Test
    void appliesKafkasPerVersionRules() {
        ByteBuffer one = producerBatch(CompressionType.NONE, 2);
        ByteBuffer two = concat(one, one);
        assertThat(ProduceValidator.validate(two, MAX, V11).error()).isEqualTo(Errors.INVALID_RECORD);
        Result unversioned = ProduceValidator.validate(two, MAX);
        assertThat(unversioned.isValid()).isTrue();
        assertThat(unversioned.batches()).extracting(BatchInfo::position).containsExactly(0, one.remaining());
        assertThat(unversioned.assignOffsets(two, 10L)).isEqualTo(14L);
        assertThat(RecordBatch.at(two, one.remaining()).baseOffset()).isEqualTo(12L);

        ByteBuffer zstd = producerBatch(CompressionType.ZSTD, 2);
        assertThat(ProduceValidator.validate(zstd, MAX, (short) 6).error())
                .isEqualTo(Errors.UNSUPPORTED_COMPRESSION_TYPE);
        assertThat(ProduceValidator.validate(zstd, MAX, (short) 7).isValid()).isTrue();
    }

    @Test
    void rejectedResultsRefuseToAssignOffsets() {
        Result r = ProduceValidator.validate(ByteBuffer.allocate(0), MAX);
        assertThatThrownBy(() -> r.assignOffsets(ByteBuffer.allocate(0), 0L)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(5);
        ByteBuffer good = producerBatch(CompressionType.SNAPPY, 4);
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = copy(good);
            if (i % 2 == 0) {
                b.limit(random.nextInt(b.limit() + 1));
            }
            for (int f = 0; f < 3; f++) {
                if (b.limit() > 0) {
                    b.put(random.nextInt(b.limit()), (byte) random.nextInt());
                }
            }
            Result r = ProduceValidator.validate(b, MAX, V11);
            assertThat(r.isValid() || r.errorMessage() != null).isTrue();
        }
    }
}
