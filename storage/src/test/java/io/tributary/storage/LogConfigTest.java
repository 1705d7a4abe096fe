package io.tributary.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.Errors;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void kafkaDefaults() {
        LogConfig c = LogConfig.DEFAULT;
        assertThat(c.segmentBytes).isEqualTo(1 << 30);
        assertThat(c.segmentMs).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(c.retentionMs).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(c.retentionBytes).isEqualTo(-1);
        assertThat(c.maxMessageBytes).isEqualTo(1048588);
        assertThat(c.indexIntervalBytes).isEqualTo(4096);
        assertThat(c.segmentIndexBytes).isEqualTo(10 * 1024 * 1024);
        assertThat(c.flushMessages).isEqualTo(Long.MAX_VALUE);
        assertThat(c.flushMs).isEqualTo(Long.MAX_VALUE);
        assertThat(c.fileDeleteDelayMs).isEqualTo(60000);
        assertThat(c.cleanupPolicy).isEqualTo("delete");
        assertThat(c.messageTimestampType).isEqualTo("CreateTime");
        assertThat(c.source(LogConfig.RETENTION_MS)).isEqualTo(LogConfig.Source.DEFAULT_CONFIG);
        assertThat(c.values()).containsKeys(LogConfig.TOPIC_CONFIG_NAMES.toArray(new String[0]));
    }

    @Test
    void brokerNamesSetDefaultsWithKafkaPrecedence() {
        LogConfig hours = LogConfig.create(Map.of("log.retention.hours", "1", "log.roll.hours", "2"), Map.of());
        assertThat(hours.retentionMs).isEqualTo(3_600_000L);
        assertThat(hours.segmentMs).isEqualTo(7_200_000L);
        assertThat(hours.source(LogConfig.RETENTION_MS)).isEqualTo(LogConfig.Source.STATIC_BROKER_CONFIG);

        LogConfig minutes =
                LogConfig.create(Map.of("log.retention.hours", "1", "log.retention.minutes", "5"), Map.of());
        assertThat(minutes.retentionMs).isEqualTo(300_000L);
        LogConfig ms = LogConfig.create(
                Map.of(
                        "log.retention.minutes",
                        "5",
                        "log.retention.ms",
                        "1234",
                        "log.roll.ms",
                        "99",
                        "log.roll.hours",
                        "3"),
                Map.of());
        assertThat(ms.retentionMs).isEqualTo(1234L);
        assertThat(ms.segmentMs).isEqualTo(99L);
        assertThat(LogConfig.create(Map.of("log.retention.hours", "-1"), Map.of()).retentionMs)
                .isEqualTo(-1);

        LogConfig other = LogConfig.create(
                Map.of(
                        "log.segment.bytes",
                        "5000",
                        "log.retention.bytes",
                        "100",
                        "message.max.bytes",
                        "777",
                        "log.index.interval.bytes",
                        "10",
                        "log.flush.interval.messages",
                        "5",
                        "log.flush.interval.ms",
                        "50",
                        "log.index.size.max.bytes",
                        "4096"),
                Map.of());
        assertThat(other.segmentBytes).isEqualTo(5000);
        assertThat(other.retentionBytes).isEqualTo(100);
        assertThat(other.maxMessageBytes).isEqualTo(777);
        assertThat(other.indexIntervalBytes).isEqualTo(10);
        assertThat(other.flushMessages).isEqualTo(5);
        assertThat(other.flushMs).isEqualTo(50);
        assertThat(other.segmentIndexBytes).isEqualTo(4096);
    }

    @Test
    void topicOverridesWinOverBrokerDefaults() {
        LogConfig c = LogConfig.create(
                Map.of("log.retention.ms", "1000"),
                Map.of("retention.ms", "2000", "cleanup.policy", "compact, delete"));
        assertThat(c.retentionMs).isEqualTo(2000);
        assertThat(c.source(LogConfig.RETENTION_MS)).isEqualTo(LogConfig.Source.TOPIC_CONFIG);
        assertThat(c.overrides()).containsOnlyKeys("retention.ms", "cleanup.policy");
        assertThat(c.deleteRetention()).isTrue();
        assertThat(LogConfig.create(Map.of(), Map.of("cleanup.policy", "compact"))
                        .deleteRetention())
                .isFalse();
    }

    @Test
    void invalidConfigsAreRefusedWithInvalidConfig() {
        for (Map<String, String> bad : java.util.List.of(
                Map.of("no.such.config", "1"),
                Map.of("retention.ms", "abc"),
                Map.of("retention.ms", "-5"),
                Map.of("segment.bytes", "3"),
                Map.of("cleanup.policy", "shred"),
                Map.of("message.timestamp.type", "Whenever"),
                Map.of("preallocate", "maybe"))) {
            assertThatThrownBy(() -> LogConfig.validateOverrides(bad))
                    .isInstanceOfSatisfying(
                            StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG));
        }
        assertThatThrownBy(() -> LogConfig.create(Map.of("log.retention.ms", "x"), Map.of()))
                .isInstanceOf(StorageException.class);
    }
}
