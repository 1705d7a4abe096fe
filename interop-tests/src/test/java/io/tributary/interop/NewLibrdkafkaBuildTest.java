package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.interop.support.NewLibrdkafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9: the security interop tests drive Debian's kcat and python3-confluent-kafka with a
 * current librdkafka through {@code LD_LIBRARY_PATH}. This builds it when missing (about a
 * minute of compiling on two cores, hence {@code long}; leave it out with
 * {@code -Dtributary.excludedGroups=long}) and checks that both binaries load it.
 */
@Tag("long")
class NewLibrdkafkaBuildTest {
    private static Path libDir;

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    static void buildIfNeeded() throws Exception {
        libDir = NewLibrdkafka.libDir().isPresent()
                ? NewLibrdkafka.libDir().get()
                : NewLibrdkafka.build(Duration.ofMinutes(19));
        assertThat(NewLibrdkafka.libDir()).contains(libDir);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void kcatLoadsTheNewLibrdkafka() throws Exception {
        assertThat(NewLibrdkafka.kcatVersion(libDir)).isEqualTo(NewLibrdkafka.VERSION);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void pythonConfluentKafkaLoadsTheNewLibrdkafka() throws Exception {
        assertThat(NewLibrdkafka.pythonVersion(libDir)).isEqualTo(NewLibrdkafka.VERSION);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void buildScriptIsIdempotent() throws Exception {
        assertThat(NewLibrdkafka.build(Duration.ofMinutes(1))).isEqualTo(libDir);
    }
}
