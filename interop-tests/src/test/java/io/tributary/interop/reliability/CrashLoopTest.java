package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 2: {@link CrashLoop} as a smoke of {@value #SMOKE_CYCLES} cycles in every build
 * and as a long run ({@code -Dcrashloop.cycles=50}, tag {@code long}). The seed is random and
 * logged; {@code -Dcrashloop.seed=} replays one.
 */
class CrashLoopTest {
    private static final int SMOKE_CYCLES = 3;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigkillLoopLosesDuplicatesAndReordersNothingAcknowledged() throws Exception {
        run(false, SMOKE_CYCLES);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void tornBatchesAppendedWhileTheBrokerIsDownAreCutAtRecovery() throws Exception {
        run(true, SMOKE_CYCLES);
    }

    @Test
    @Tag("long")
    @Timeout(value = 4, unit = TimeUnit.HOURS)
    void longSigkillLoop() throws Exception {
        run(false, Integer.getInteger("crashloop.cycles", 50));
    }

    @Test
    @Tag("long")
    @Timeout(value = 4, unit = TimeUnit.HOURS)
    void longSigkillLoopWithTornWrites() throws Exception {
        run(true, Integer.getInteger("crashloop.cycles", 50));
    }

    private void run(boolean torn, int cycles) throws Exception {
        long seed = Long.getLong("crashloop.seed", System.nanoTime());
        String summary = new CrashLoop(dataDir, torn, seed).run(cycles);
        System.out.println(summary);
        assertThat(summary).contains("cycles survived " + cycles + "/" + cycles);
    }
}
