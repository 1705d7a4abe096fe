package io.tributary.protocol.record;

import static io.tributary.protocol.record.KafkaReference.copy;
import static io.tributary.protocol.record.KafkaReference.kafkaBuild;
import static io.tributary.protocol.record.KafkaReference.kafkaRead;
import static io.tributary.protocol.record.KafkaReference.ourBuild;
import static io.tributary.protocol.record.KafkaReference.toArray;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.record.KafkaReference.BatchSpec;
import io.tributary.protocol.record.KafkaReference.Spec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our batches against Apache Kafka's, both directions, for every codec (B1). */
class KafkaRecordInteropTest {

    private static BatchSpec idempotent(CompressionType c, boolean transactional) {
        return new BatchSpec(
                c, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, 4711L, (short) 3, 42, transactional, 7);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaBuiltBatchesParseWithOurs(CompressionType codec) {
        for (int seed = 0; seed < 5; seed++) {
            List<Spec> specs = KafkaReference.randomSpecs(new Random(seed), 1 + seed * 40);
            BatchSpec bs = seed % 2 == 0 ? BatchSpec.plain(codec) : idempotent(codec, seed == 3);
            ByteBuffer kafka = kafkaBuild(bs, specs);

            MemoryRecords records = MemoryRecords.readableRecords(kafka);
            List<RecordBatch> batches = new ArrayList<>();
            records.batches().forEach(batches::add);
            assertThat(batches).hasSize(1);
            RecordBatch batch = batches.get(0);
            batch.ensureValid();
            assertThat(batch.compressionType()).isEqualTo(codec);
            assertThat(batch.recordsCount()).isEqualTo(specs.size());
            assertThat(batch.sizeInBytes()).isEqualTo(kafka.remaining());

            org.apache.kafka.common.record.internal.RecordBatch kb =
                    kafkaRead(kafka).batches().iterator().next();
            assertThat(batch.baseOffset()).isEqualTo(kb.baseOffset());
            assertThat(batch.lastOffset()).isEqualTo(kb.lastOffset());
            assertThat(batch.maxTimestamp()).isEqualTo(kb.maxTimestamp());
            assertThat(batch.producerId()).isEqualTo(kb.producerId());
            assertThat(batch.producerEpoch()).isEqualTo(kb.producerEpoch());
            assertThat(batch.baseSequence()).isEqualTo(kb.baseSequence());
            assertThat(batch.lastSequence()).isEqualTo(kb.lastSequence());
            assertThat(batch.isTransactional()).isEqualTo(kb.isTransactional());
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(kb.partitionLeaderEpoch());
            assertThat(batch.checksum()).isEqualTo(kb.checksum());

            List<Record> ours = batch.records();
            assertThat(ours).hasSize(specs.size());
            int i = 0;
            for (org.apache.kafka.common.record.internal.Record kr : kb) {
                Record r = ours.get(i);
                Spec s = specs.get(i);
                assertThat(r.offset()).isEqualTo(kr.offset()).isEqualTo(i);
                assertThat(r.timestamp()).isEqualTo(kr.timestamp()).isEqualTo(s.timestamp());
                assertThat(r.sequence()).isEqualTo(kr.sequence());
                assertThat(r.keyBytes()).isEqualTo(s.key());
                assertThat(r.valueBytes()).isEqualTo(s.value());
                assertThat(r.headers()).containsExactly(s.headers());
                assertThat(r.sizeInBytes()).isEqualTo(kr.sizeInBytes());
                i++;
            }
            assertThat(i).isEqualTo(specs.size());
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void ourBatchesParseWithKafkaAndPassItsValidation(CompressionType codec) {
        for (int seed = 10; seed < 15; seed++) {
            List<Spec> specs = KafkaReference.randomSpecs(new Random(seed), 1 + (seed - 10) * 60);
            BatchSpec bs = seed % 2 == 0 ? BatchSpec.plain(codec) : idempotent(codec, seed == 13);
            ByteBuffer ours = ourBuild(bs, specs);

            org.apache.kafka.common.record.internal.MemoryRecords kafka = kafkaRead(ours);
            int batches = 0;
            for (org.apache.kafka.common.record.internal.MutableRecordBatch kb : kafka.batches()) {
                batches++;
                kb.ensureValid();
                assertThat(kb.magic()).isEqualTo((byte) 2);
                assertThat(kb.compressionType().id).isEqualTo(codec.id);
                assertThat(kb.producerId()).isEqualTo(bs.producerId());
                assertThat(kb.producerEpoch()).isEqualTo(bs.producerEpoch());
                assertThat(kb.baseSequence()).isEqualTo(bs.baseSequence());
                assertThat(kb.isTransactional()).isEqualTo(bs.transactional());
                assertThat(kb.partitionLeaderEpoch()).isEqualTo(bs.partitionLeaderEpoch());
                assertThat(kb.countOrNull()).isEqualTo(specs.size());
                int i = 0;
                for (org.apache.kafka.common.record.internal.Record kr : kb) {
                    kr.ensureValid();
                    Spec s = specs.get(i);
                    assertThat(kr.offset()).isEqualTo(i);
                    assertThat(kr.timestamp()).isEqualTo(s.timestamp());
                    assertThat(toArray(kr.key())).isEqualTo(s.key());
                    assertThat(toArray(kr.value())).isEqualTo(s.value());
                    assertThat(kr.headers()).hasSize(s.headers().length);
                    for (int h = 0; h < s.headers().length; h++) {
                        assertThat(kr.headers()[h].key()).isEqualTo(s.headers()[h].key());
                        assertThat(kr.headers()[h].value()).isEqualTo(s.headers()[h].value());
                    }
                    i++;
                }
                assertThat(i).isEqualTo(specs.size());
            }
            assertThat(batches).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void outputIsByteIdenticalToKafka(CompressionType codec) {
        // Uncompressed identity is the contract; the codecs match too because we drive the same
        // libraries with the same framing and buffer sizes (a regression here is worth knowing).
        for (int seed = 20; seed < 24; seed++) {
            List<Spec> specs = KafkaReference.randomSpecs(new Random(seed), 1 + (seed - 20) * 30);
            BatchSpec bs = seed % 2 == 0 ? BatchSpec.plain(codec) : idempotent(codec, true);
            assertThat(toArray(ourBuild(bs, specs))).isEqualTo(toArray(kafkaBuild(bs, specs)));
        }
    }

    @Test
    void logAppendTimeBatchesMatchKafka() {
        List<Spec> specs = KafkaReference.randomSpecs(new Random(30), 12);
        BatchSpec bs = new BatchSpec(
                CompressionType.NONE,
                TimestampType.LOG_APPEND_TIME,
                100L,
                1_800_000_000_000L,
                -1L,
                (short) -1,
                -1,
                false,
                2);
        ByteBuffer ours = ourBuild(bs, specs);
        assertThat(toArray(ours)).isEqualTo(toArray(kafkaBuild(bs, specs)));
        RecordBatch batch = MemoryRecords.readableRecords(ours).firstBatch();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.baseOffset()).isEqualTo(100L);
        assertThat(batch.records()).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(1_800_000_000_000L));
    }

    @Test
    void endTransactionMarkersMatchKafkaAndAreRecognisedAsControl() {
        for (ControlRecordType type : new ControlRecordType[] {ControlRecordType.COMMIT, ControlRecordType.ABORT}) {
            ByteBuffer kafka = org.apache.kafka.common.record.internal.MemoryRecords.withEndTransactionMarker(
                            55L,
                            1_700_000_000_123L,
                            9,
                            4711L,
                            (short) 2,
                            new org.apache.kafka.common.record.internal.EndTransactionMarker(
                                    org.apache.kafka.common.record.internal.ControlRecordType.valueOf(type.name()), 17))
                    .buffer();
            MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 55L)
                    .producerState(4711L, (short) 2, RecordBatch.NO_SEQUENCE)
                    .transactional(true)
                    .control(true)
                    .partitionLeaderEpoch(9);
            b.appendEndTxnMarker(1_700_000_000_123L, new EndTransactionMarker(type, 17));
            ByteBuffer ours = b.build().buffer();
            assertThat(toArray(ours)).isEqualTo(toArray(kafka));

            RecordBatch batch = MemoryRecords.readableRecords(kafka).firstBatch();
            assertThat(batch.isControlBatch()).isTrue();
            assertThat(batch.isTransactional()).isTrue();
            Record marker = batch.records().get(0);
            assertThat(ControlRecordType.parse(marker)).isEqualTo(type);
            assertThat(EndTransactionMarker.deserialize(marker)).isEqualTo(new EndTransactionMarker(type, 17));
        }
    }

    /** Issue 11 (the cleaner stamps markers with KIP-534's delete horizon): Kafka reads it and the record timestamps. */
    @Test
    void deleteHorizonIsReadByKafkaWithRecordTimestampsKept() {
        long horizon = 1_700_000_086_400_000L;
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 55L)
                .producerState(4711L, (short) 2, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .control(true)
                .deleteHorizonMs(horizon);
        b.appendEndTxnMarker(1_700_000_000_123L, new EndTransactionMarker(ControlRecordType.ABORT, 17));
        ByteBuffer ours = b.build().buffer();

        org.apache.kafka.common.record.internal.RecordBatch kafka =
                org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(ours)
                        .batches()
                        .iterator()
                        .next();
        kafka.ensureValid();
        assertThat(kafka.isControlBatch()).isTrue();
        assertThat(kafka.deleteHorizonMs()).hasValue(horizon);
        assertThat(kafka.iterator().next().timestamp()).isEqualTo(1_700_000_000_123L);

        RecordBatch read = MemoryRecords.readableRecords(ours).firstBatch();
        assertThat(read.hasDeleteHorizon()).isTrue();
        assertThat(read.records().get(0).timestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(EndTransactionMarker.deserialize(read.records().get(0)))
                .isEqualTo(new EndTransactionMarker(ControlRecordType.ABORT, 17));
    }

    @Test
    void multipleBatchesFromOneBuilderReadBackInKafka() {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.LZ4, TimestampType.CREATE_TIME, 1000L)
                .producerState(9L, (short) 1, 2_147_483_600);
        for (int i = 0; i < 100; i++) {
            if (i > 0 && i % 30 == 0) {
                b.nextBatch();
            }
            b.append(5000L + i, ("k" + i).getBytes(), ("v" + i).getBytes());
        }
        ByteBuffer ours = b.build().buffer();
        long expectedOffset = 1000L;
        int expectedSequence = 2_147_483_600;
        int batches = 0;
        for (org.apache.kafka.common.record.internal.MutableRecordBatch kb :
                kafkaRead(ours).batches()) {
            kb.ensureValid();
            assertThat(kb.baseOffset()).isEqualTo(expectedOffset);
            assertThat(kb.baseSequence()).isEqualTo(expectedSequence);
            for (org.apache.kafka.common.record.internal.Record kr : kb) {
                assertThat(kr.offset()).isEqualTo(expectedOffset);
                assertThat(kr.sequence()).isEqualTo(expectedSequence);
                expectedOffset++;
                expectedSequence = expectedSequence == Integer.MAX_VALUE ? 0 : expectedSequence + 1;
            }
            batches++;
        }
        assertThat(batches).isEqualTo(4);
        assertThat(expectedOffset).isEqualTo(1100L);
        List<Record> all = new ArrayList<>();
        MemoryRecords.readableRecords(copy(ours)).records().forEach(all::add);
        assertThat(all)
                .extracting(Record::offset)
                .startsWith(1000L, 1001L)
                .endsWith(1099L)
                .hasSize(100);
    }

    @Test
    void kafkaCompactedStyleOffsetGapsAreKept() {
        ByteBuffer buf = ByteBuffer.allocate(256);
        org.apache.kafka.common.record.internal.MemoryRecordsBuilder kb =
                org.apache.kafka.common.record.internal.MemoryRecords.builder(
                        buf,
                        KafkaReference.kafkaCompression(CompressionType.ZSTD),
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        10L);
        kb.appendWithOffset(10L, 1L, "a".getBytes(), "1".getBytes());
        kb.appendWithOffset(14L, 2L, "b".getBytes(), null);
        RecordBatch batch = MemoryRecords.readableRecords(kb.build().buffer()).firstBatch();
        List<Record> records = batch.records();
        assertThat(records).extracting(Record::offset).containsExactly(10L, 14L);
        assertThat(records.get(1).hasValue()).isFalse();
        assertThat(batch.lastOffset()).isEqualTo(14L);
    }
}
