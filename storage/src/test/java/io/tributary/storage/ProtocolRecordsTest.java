package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.Errors;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.protocol.record.MemoryRecordsBuilder;
import io.tributary.protocol.record.ProduceValidator;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The broker's produce chain (validator, then log) with batches built by the protocol module, every codec. */
class ProtocolRecordsTest {
    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime();

    private static MemoryRecords build(CompressionType c, long producerId, int seq, long... timestamps) {
        MemoryRecordsBuilder b = MemoryRecordsBuilder.forProduce(c);
        if (producerId >= 0) {
            b.producerState(producerId, (short) 0, seq);
        }
        for (int i = 0; i < timestamps.length; i++) {
            b.append(
                    timestamps[i],
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i).repeat(20).getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void validatedBatchesOfEveryCodecAppendReadSearchAndRecover(CompressionType codec) throws IOException {
        Path logDir = dir.resolve("c-0");
        Map<String, String> cfg = Map.of("index.interval.bytes", "1", "segment.index.bytes", "4096");
        List<Long> expected = new ArrayList<>();
        try (Log log = Log.open(logDir, LogConfig.create(Map.of(), cfg), time)) {
            for (int b = 0; b < 4; b++) {
                // timestamps inside a batch deliberately out of order
                MemoryRecords recs = build(codec, 9, b * 3, 1000 + 100 * b + 50, 1000 + 100 * b, 1000 + 100 * b + 20);
                ProduceValidator.Result v = ProduceValidator.validate(recs, log.config().maxMessageBytes, (short) 9);
                assertThat(v.isValid()).as(v.toString()).isTrue();
                AppendResult r = log.append(recs);
                assertThat(r.error()).isEqualTo(Errors.NONE);
                assertThat(r.baseOffset()).isEqualTo(3L * b);
                assertThat(r.lastOffset()).isEqualTo(3L * b + 2);
                for (int i = 0; i < 3; i++) {
                    expected.add(3L * b + i);
                }
            }
            ByteBuffer all = log.read(0, 1 << 20, false).records().toByteBuffer();
            List<Long> offsets = new ArrayList<>();
            for (int pos = 0; pos < all.limit(); ) {
                RecordBatch batch = RecordBatch.at(all, pos);
                batch.ensureValid();
                assertThat(batch.compressionType()).isEqualTo(codec);
                for (Record rec : batch) {
                    offsets.add(rec.offset());
                }
                pos += batch.sizeInBytes();
            }
            assertThat(offsets).isEqualTo(expected);
            // second batch: offsets 3,4,5 with timestamps 1150,1100,1120
            assertThat(log.fetchOffsetByTimestamp(1101).orElseThrow()).isEqualTo(new TimestampAndOffset(1150, 3));
            assertThat(log.fetchOffsetByTimestamp(1151).orElseThrow()).isEqualTo(new TimestampAndOffset(1250, 6));
            assertThat(log.fetchOffsetByTimestamp(Log.MAX_TIMESTAMP).orElseThrow())
                    .isEqualTo(new TimestampAndOffset(1350, 9));
            assertThat(log.append(build(codec, 9, 3, 1, 2, 3)).duplicate()).isTrue();
        }
        try (Log reopened = Log.open(logDir, LogConfig.create(Map.of(), cfg), time)) {
            assertThat(reopened.logEndOffset()).isEqualTo(12);
            assertThat(reopened.offsetForTimestamp(1101)).isEqualTo(3);
            assertThat(reopened.append(build(codec, 9, 9, 1, 2, 3)).duplicate()).isTrue();
        }
    }

    @Test
    void logAppendTimeStampedByTheValidatorIsFoundByTimestamp() throws IOException {
        try (Log log = Log.open(
                dir.resolve("lat-0"),
                LogConfig.create(Map.of(), Map.of("message.timestamp.type", "LogAppendTime")),
                time)) {
            assertThat(log.config().logAppendTime()).isTrue();
            MemoryRecords recs = build(CompressionType.NONE, -1, -1, 5, 6, 7);
            ProduceValidator.Result v = ProduceValidator.validate(recs, log.config().maxMessageBytes, (short) 9);
            v.setLogAppendTime(recs.buffer(), time.milliseconds());
            AppendResult r = log.append(recs);
            assertThat(r.error()).isEqualTo(Errors.NONE);
            RecordBatch batch =
                    RecordBatch.at(log.read(0, 1 << 20, false).records().toByteBuffer(), 0);
            assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(log.fetchOffsetByTimestamp(time.milliseconds()).orElseThrow())
                    .isEqualTo(new TimestampAndOffset(time.milliseconds(), 0));
            assertThat(log.offsetForTimestamp(time.milliseconds() + 1)).isEqualTo(-1);
        }
    }
}
