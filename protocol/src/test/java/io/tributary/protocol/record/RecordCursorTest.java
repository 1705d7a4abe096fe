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
