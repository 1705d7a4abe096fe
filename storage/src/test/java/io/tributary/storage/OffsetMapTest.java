package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cleaner's key to latest-offset map (issue 10): latest offset wins, probing wraps, a full map refuses new keys. */
class OffsetMapTest {
    private static ByteBuffer key(String k) {
        return ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheLatestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(OffsetMap.memoryFor(1_000, 0.9), 0.9);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 1_000; k++) {
                map.put(key("key-" + k), round * 1_000L + k);
            }
        }
        assertThat(map.size()).isEqualTo(1_000);
        for (int k = 0; k < 1_000; k++) {
            assertThat(map.get(key("key-" + k))).isEqualTo(2_000L + k);
        }
        assertThat(map.get(key("absent"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(2_999);
    }

    @Test
    void aNearlyFullTableProbesAroundItsEndAndRefusesOneKeyTooMany() {
        // 8 slots, all usable: every key after the first collides somewhere and some probes wrap to slot 0.
        OffsetMap map = new OffsetMap(8L * OffsetMap.SLOT_SIZE, 1.0);
        for (int k = 0; k < 8; k++) {
            map.put(key("k" + k), k);
        }
        assertThat(map.remaining()).isZero();
        for (int k = 0; k < 8; k++) {
            assertThat(map.get(key("k" + k))).isEqualTo(k);
        }
        map.put(key("k3"), 42);
        assertThat(map.get(key("k3"))).isEqualTo(42);
        assertThatThrownBy(() -> map.put(key("k8"), 8)).isInstanceOf(IllegalStateException.class);
    }
}
