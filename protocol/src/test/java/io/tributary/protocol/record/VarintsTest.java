package io.tributary.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The computed varint sizes (used to size records before writing them) equal the bytes written. */
class VarintsTest {
    @Test
    void sizesMatchTheEncodedLengthAtEveryByteBoundary() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE));
        for (int bits = 1; bits < 64; bits++) {
            long p = 1L << bits;
            values.addAll(List.of(p, p - 1, p + 1, -p, -p - 1, -p + 1));
        }
        ByteBuffer b = ByteBuffer.allocate(16);
        for (long v : values) {
            b.clear();
            Varints.writeVarlong(b, v);
            assertThat(Varints.sizeOfVarlong(v)).as("varlong %d", v).isEqualTo(b.position());
            int i = (int) v;
            b.clear();
            Varints.writeVarint(b, i);
            assertThat(Varints.sizeOfVarint(i)).as("varint %d", i).isEqualTo(b.position());
        }
    }
}
