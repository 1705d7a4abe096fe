package io.tributary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {
    @Test
    void randomIdsAreVersionFourDistinctAndKafkaSafe() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            UUID u = Uuids.random();
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(u).isNotEqualTo(Uuids.ZERO);
            assertThat(Uuids.toBase64(u)).doesNotStartWith("-").hasSize(22);
            assertThat(seen.add(u)).as("id %s repeated", u).isTrue();
        }
    }

    @Test
    void base64RoundTrips() {
        UUID u = Uuids.random();
        assertThat(Uuids.fromBase64(Uuids.toBase64(u))).isEqualTo(u);
    }

    @Test
    void randomBitsVaryInEveryByte() {
        // A constant byte outside the version and variant nibbles would mean the source was not read.
        int[] or = new int[16];
        int[] and = new int[16];
        java.util.Arrays.fill(and, 0xff);
        for (int i = 0; i < 200; i++) {
            UUID u = Uuids.random();
            long[] halves = {u.getMostSignificantBits(), u.getLeastSignificantBits()};
            for (int k = 0; k < 16; k++) {
                int b = (int) (halves[k / 8] >>> (56 - 8 * (k % 8))) & 0xff;
                or[k] |= b;
                and[k] &= b;
            }
        }
        for (int k = 0; k < 16; k++) {
            int fixed = k == 6 ? 0xf0 : k == 8 ? 0xc0 : 0;
            assertThat((or[k] ^ and[k]) & ~fixed & 0xff)
                    .as("varying bits of byte %d", k)
                    .isNotZero();
        }
    }
}
