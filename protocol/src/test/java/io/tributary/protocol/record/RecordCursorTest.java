package io.tributary.protocol.record;

import static io.tributary.protocol.record.KafkaReference.kafkaBuild;
import static io.tributary.protocol.record.KafkaReference.toArray;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.record.KafkaReference.BatchSpec;
import io.tributary.protocol.record.KafkaReference.Spec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The consumer's allocation-free record reader reads what the batch iterator reads, and fails where it fails. */
class RecordCursorTest {

    /** One record as text, from the iterator or the cursor, so the two can be compared whole. */
    private static String describe(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        StringBuilder out = new StringBuilder(offset + "/" + timestamp + "/" + bytes(key) + "/" + bytes(value));
        for (Header h : headers) {
            out.append('/').append(h.key()).append('=').append(Arrays.toString(h.value()));
        }
        return out.toString();
    }

    private static String bytes(ByteBuffer b) {
        if (b == null) {
            return "null";
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return Arrays.toString(out);
    }

    private static List<String> viaIterator(ByteBuffer buf) {
        List<String> out = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(buf).batches()) {
            for (Record r : batch) {
                out.add(describe(r.offset(), r.timestamp(), r.key(), r.value(), r.headers()));
            }
        }
        return out;
    }

    private static List<String> viaCursor(ByteBuffer buf) {
        List<String> out = new ArrayList<>();
        RecordCursor cursor = new RecordCursor();
        for (RecordBatch batch : MemoryRecords.readableRecords(buf).batches()) {
            cursor.reset(batch);
            while (cursor.hasNext()) {
                cursor.next();
                assertThat(cursor.keySize())
                        .isEqualTo(cursor.key() == null ? -1 : cursor.key().remaining());
                assertThat(cursor.valueSize())
                        .isEqualTo(cursor.value() == null ? -1 : cursor.value().remaining());
                out.add(describe(cursor.offset(), cursor.timestamp(), cursor.key(), cursor.value(), cursor.headers()));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readsWhatTheIteratorReadsOnHeapAndDirectBuffers(CompressionType codec) {
        List<Spec> specs = KafkaReference.randomSpecs(new Random(11 + codec.id), 40);
        ByteBuffer heap = kafkaBuild(BatchSpec.plain(codec), specs);
        List<String> expected = viaIterator(heap);
        assertThat(expected).hasSize(40);
        assertThat(viaCursor(heap)).isEqualTo(expected);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining())
                .put(heap.duplicate())
                .flip();
        assertThat(viaCursor(direct)).isEqualTo(expected);
    }

    /**
     * A fetch answer's shape: many batches, plain and compressed in turn, in a slice that starts
     * inside a larger direct buffer. One cursor reads them all in place (plain batches through
     * the same two views) and reads what the iterator reads; reset onto another buffer, it reads
     * that one's records, not the first's.
     */
    @Test
    void readsManyBatchesOfOneSharedBufferInPlaceAndMovesToAnother() {
        ByteBuffer answer = ByteBuffer.allocateDirect(256 * 1024);
        for (int i = 0; i < answer.capacity(); i++) {
            answer.put(i, (byte) 0x55);
        }
        answer.position(1_000);
        long offset = 0;
        Random random = new Random(3);
        CompressionType[] codecs = {
            CompressionType.NONE, CompressionType.LZ4, CompressionType.NONE, CompressionType.GZIP
        };
        for (int b = 0; b < 12; b++) {
            MemoryRecordsBuilder builder =
                    new MemoryRecordsBuilder(codecs[b % codecs.length], TimestampType.CREATE_TIME, offset);
            int n = 1 + random.nextInt(30);
            for (int r = 0; r < n; r++, offset++) {
                byte[] value = new byte[random.nextInt(200)];
                random.nextBytes(value);
                byte[] key = r % 3 == 0 ? null : ("k" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                Header[] headers = r % 4 == 1
                        ? new Header[] {new Header("h", value.length == 0 ? null : value)}
                        : Record.NO_HEADERS;
                builder.append(1_000 + offset, key, value, headers);
            }
            answer.put(builder.build().buffer().duplicate());
        }
        ByteBuffer records = answer.flip().position(1_000).slice();
        List<String> expected = viaIterator(records);
        assertThat(expected).hasSize((int) offset);

        RecordCursor cursor = new RecordCursor();
        assertThat(read(cursor, records)).isEqualTo(expected);
        ByteBuffer other =
                kafkaBuild(BatchSpec.plain(CompressionType.NONE), KafkaReference.randomSpecs(new Random(8), 20));
        assertThat(read(cursor, other)).isEqualTo(viaIterator(other)).isNotEqualTo(expected.subList(0, 20));
        assertThat(read(cursor, records)).isEqualTo(expected);
    }

    /**
     * Lengths and timestamp deltas on both sides of each varint size (1, 2 and 3 bytes; the cursor
     * reads 1- and 2-byte ones on a short path): the same records as the iterator, including a
     * batch whose last field is a varint ending on the batch's last byte.
     */
    @Test
    void varintsOfEverySizeReadAsTheIteratorReadsThem() {
        int[] sizes = {0, 1, 63, 64, 65, 127, 128, 8191, 8192, 8193};
        long[] deltas = {0, 1, 63, 64, 8191, 8192, 1L << 20, 1L << 40};
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(CompressionType.NONE, TimestampType.CREATE_TIME, 0);
        Random random = new Random(21);
        for (int i = 0; i < sizes.length * deltas.length; i++) {
            byte[] value = new byte[sizes[i % sizes.length]];
            random.nextBytes(value);
            byte[] key = i % 3 == 0 ? null : new byte[sizes[(i / 3) % sizes.length]];
            Header[] headers = i % 5 == 0 ? new Header[] {new Header("h" + i, value)} : Record.NO_HEADERS;
            builder.append(1_000_000 + deltas[i % deltas.length], key, value, headers);
        }
        ByteBuffer records = builder.build().buffer();
        List<String> expected = viaIterator(records.duplicate());
        assertThat(expected).hasSize(sizes.length * deltas.length);
        assertThat(viaCursor(records.duplicate())).isEqualTo(expected);
        ByteBuffer direct = ByteBuffer.allocateDirect(records.remaining())
                .put(records.duplicate())
                .flip();
        assertThat(viaCursor(direct)).isEqualTo(expected);
    }

    private static List<String> read(RecordCursor cursor, ByteBuffer buf) {
        List<String> out = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(buf).batches()) {
            cursor.reset(batch);
            while (cursor.hasNext()) {
                cursor.next();
                out.add(describe(cursor.offset(), cursor.timestamp(), cursor.key(), cursor.value(), cursor.headers()));
            }
        }
        return out;
    }

    /** Random damage with the CRC fixed up: the same records, or a CorruptRecordException from both. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void damagedBatchesFailAsTheIteratorFails(CompressionType codec) {
        byte[] bytes = toArray(kafkaBuild(BatchSpec.plain(codec), KafkaReference.randomSpecs(new Random(5), 25)));
        Random random = new Random(77 + codec.id);
        int failures = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] damaged = bytes.clone();
            int at = RecordBatchHeader.ATTRIBUTES + random.nextInt(damaged.length - RecordBatchHeader.ATTRIBUTES);
            damaged[at] = (byte) random.nextInt();
            ByteBuffer buf = ByteBuffer.wrap(damaged);
            RecordBatchHeader.writeCrc(buf, 0);
            String iterated = outcome(() -> viaIterator(buf));
            String cursored = outcome(() -> viaCursor(buf));
            if (iterated.startsWith("corrupt")) {
                assertThat(cursored).as("damage at %d", at).startsWith("corrupt");
                failures++;
            } else {
                assertThat(cursored).as("damage at %d", at).isEqualTo(iterated);
            }
        }
        assertThat(failures).isGreaterThan(50);
    }

    private static String outcome(java.util.function.Supplier<List<String>> read) {
        try {
            return read.get().toString();
        } catch (CorruptRecordException e) {
            assertThat(e.getMessage()).isNotBlank();
            return "corrupt";
        }
    }
}
