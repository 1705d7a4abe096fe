package io.tributary.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's contract beyond byte compatibility (covered by KafkaRecordInteropTest) (B1). */
class MemoryRecordsBuilderTest {

    private static List<Record> read(MemoryRecords records) {
        List<Record> out = new ArrayList<>();
        records.records().forEach(out::add);
        return out;
    }

    @Test
    void emptyBuilderBuildsEmptyRecords() {
        MemoryRecords built =
                MemoryRecordsBuilder.forProduce(CompressionType.GZIP).build();
        assertThat(built.sizeInBytes()).isZero();
        assertThat(built.batches()).isEmpty();
    }

    @Test
    void writeLimitBoundsTheBatchButTheFirstRecordAlwaysFits() {
        MemoryRecordsBuilder b =
                MemoryRecordsBuilder.forProduce(CompressionType.NONE).writeLimit(200);
        byte[] big = new byte[500];
        assertThat(b.hasRoomFor(1L, null, big, null)).isTrue();
        b.append(1L, null, new byte[50]);
        assertThat(b.hasRoomFor(1L, null, new byte[50], null)).isTrue();
        b.append(1L, null, new byte[50]);
        assertThat(b.hasRoomFor(1L, null, new byte[50], null)).isFalse();
        assertThat(b.estimatedSizeInBytes()).isLessThanOrEqualTo(200);
        MemoryRecords built = b.build();
        assertThat(built.sizeInBytes()).isEqualTo(b.estimatedSizeInBytes());
        assertThat(read(built)).hasSize(2);
    }

    @Test
    void largeRecordsGrowTheBuffer() {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.ZSTD, TimestampType.CREATE_TIME, 0L, 16);
        byte[] value = CompressionTypeTest.sample(3_000_000);
        b.append(9L, "k".getBytes(), value);
        Record r = read(b.build()).get(0);
        assertThat(r.valueBytes()).isEqualTo(value);
    }

    @Test
    void headersWithNullValuesAndEmptyKeysRoundTrip() {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.SNAPPY);
        Header[] headers = {new Header("", null), new Header("ключ", new byte[0]), new Header("a", new byte[] {1})};
        b.append(RecordBatch.NO_TIMESTAMP, (byte[]) null, null, headers);
        Record r = read(b.build()).get(0);
        assertThat(r.headers()).containsExactly(headers);
        assertThat(r.key()).isNull();
        assertThat(r.value()).isNull();
        assertThat(r.timestamp()).isEqualTo(RecordBatch.NO_TIMESTAMP);
    }

    @Test
    void misuseIsRejected() {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(CompressionType.NONE);
        b.append(1L, null, new byte[1]);
        assertThatThrownBy(() -> b.appendWithOffset(0L, 1L, (byte[]) null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.append(-5L, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.transactional(true)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.appendControlRecord(1L, ControlRecordType.COMMIT, null))
                .isInstanceOf(IllegalArgumentException.class);
        b.build();
        assertThatThrownBy(() -> b.append(1L, null, null)).isInstanceOf(IllegalStateException.class);

        MemoryRecordsBuilder control =
                MemoryRecordsBuilder.forProduce(CompressionType.NONE).control(true);
        assertThatThrownBy(() -> control.append(1L, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EndTransactionMarker(ControlRecordType.LEADER_CHANGE, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildIsIdempotentAndPositionedAtZero() {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 40L);
        b.append(3L, ByteBuffer.wrap("x".getBytes()), null, null);
        MemoryRecords first = b.build();
        MemoryRecords second = b.build();
        assertThat(first.buffer().position()).isZero();
        assertThat(second.buffer()).isEqualTo(first.buffer());
        assertThat(first.firstBatch().baseOffset()).isEqualTo(40L);
        assertThat(b.nextOffset()).isEqualTo(41L);
    }

    @Test
    void controlRecordTypesParseAsKafkaDoes() {
        for (ControlRecordType t : ControlRecordType.values()) {
            if (t == ControlRecordType.UNKNOWN) {
                continue;
            }
            ByteBuffer key = t.recordKey();
            assertThat(ControlRecordType.parse(key)).isEqualTo(t);
            assertThat(org.apache.kafka.common.record.internal.ControlRecordType.parse(key)
                            .name())
                    .isEqualTo(t.name());
        }
        ByteBuffer future =
                ByteBuffer.allocate(6).putShort((short) 1).putShort((short) 99).flip();
        assertThat(ControlRecordType.parse(future)).isEqualTo(ControlRecordType.UNKNOWN);
        assertThatThrownBy(() -> ControlRecordType.parse(ByteBuffer.allocate(2)))
                .isInstanceOf(CorruptRecordException.class);
    }
}
