package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Test-only bridge to Apache Kafka's record classes, the golden reference. Kafka's names clash
 * with ours, so they are fully qualified here and nowhere else.
 */
final class KafkaReference {
    private KafkaReference() {}

    /** A record as a test specifies it, independent of either implementation. */
    record Spec(long timestamp, byte[] key, byte[] value, Header[] headers) {}

    /** The producer/batch settings shared by both builders. */
    record BatchSpec(
            CompressionType compression,
            TimestampType timestampType,
            long baseOffset,
            long logAppendTime,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean transactional,
            int partitionLeaderEpoch) {
        static BatchSpec plain(CompressionType c) {
            return new BatchSpec(
                    c, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, -1L, (short) -1, -1, false, -1);
        }
    }

    static List<Spec> randomSpecs(Random random, int count) {
        List<Spec> out = new ArrayList<>();
        long ts = 1_700_000_000_000L + random.nextInt(1_000_000);
        for (int i = 0; i < count; i++) {
            byte[] key = random.nextInt(5) == 0 ? null : bytes(random, random.nextInt(20));
            byte[] value = random.nextInt(10) == 0 ? null : bytes(random, random.nextInt(300));
            int nh = random.nextInt(4);
            Header[] headers = new Header[nh];
            for (int h = 0; h < nh; h++) {
                headers[h] = new Header(
                        "h" + h + "-é" + random.nextInt(100),
                        random.nextInt(4) == 0 ? null : bytes(random, random.nextInt(10)));
            }
            out.add(new Spec(ts + random.nextInt(2000) - 1000, key, value, headers));
        }
        return out;
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        // Repetitive content so every codec actually compresses.
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : 'a' + (i % 7));
        }
        return b;
    }

    static Compression kafkaCompression(CompressionType c) {
        return switch (c) {
            case NONE -> Compression.NONE;
            case GZIP -> Compression.gzip().build();
            case SNAPPY -> Compression.snappy().build();
            case LZ4 -> Compression.lz4().build();
            case ZSTD -> Compression.zstd().build();
        };
    }

    static org.apache.kafka.common.record.TimestampType kafkaTimestampType(TimestampType t) {
        return t == TimestampType.LOG_APPEND_TIME
                ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                : org.apache.kafka.common.record.TimestampType.CREATE_TIME;
    }

    static org.apache.kafka.common.header.Header[] kafkaHeaders(Header[] headers) {
        org.apache.kafka.common.header.Header[] out = new org.apache.kafka.common.header.Header[headers.length];
        for (int i = 0; i < headers.length; i++) {
            out[i] = new RecordHeader(headers[i].key(), headers[i].value());
        }
        return out;
    }

    /** One batch built by Kafka's MemoryRecordsBuilder. */
    static ByteBuffer kafkaBuild(BatchSpec s, List<Spec> records) {
        org.apache.kafka.common.record.internal.MemoryRecordsBuilder b =
                org.apache.kafka.common.record.internal.MemoryRecords.builder(
                        ByteBuffer.allocate(1024),
                        org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2,
                        kafkaCompression(s.compression()),
                        kafkaTimestampType(s.timestampType()),
                        s.baseOffset(),
                        s.logAppendTime(),
                        s.producerId(),
                        s.producerEpoch(),
                        s.baseSequence(),
                        s.transactional(),
                        s.partitionLeaderEpoch());
        for (Spec r : records) {
            b.append(r.timestamp(), r.key(), r.value(), kafkaHeaders(r.headers()));
        }
        return b.build().buffer();
    }

    /** The same batch built by ours. */
    static ByteBuffer ourBuild(BatchSpec s, List<Spec> records) {
        MemoryRecordsBuilder b = new MemoryRecordsBuilder(s.compression(), s.timestampType(), s.baseOffset())
                .producerState(s.producerId(), s.producerEpoch(), s.baseSequence())
                .transactional(s.transactional())
                .partitionLeaderEpoch(s.partitionLeaderEpoch())
                .logAppendTime(s.logAppendTime());
        for (Spec r : records) {
            b.append(r.timestamp(), r.key(), r.value(), r.headers());
        }
        return b.build().buffer();
    }

    static org.apache.kafka.common.record.internal.MemoryRecords kafkaRead(ByteBuffer b) {
        return org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(b.duplicate());
    }

    static byte[] toArray(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Copies the buffer's remaining bytes into a fresh heap buffer. */
    static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.wrap(toArray(b));
    }
}
