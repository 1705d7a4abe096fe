package io.tributary.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
    @Test
    void defaultsFollowKafka() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of());
        assertThat(c.nodeId()).isZero();
        assertThat(c.listeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "", 9092));
        assertThat(c.numPartitions()).isEqualTo(1);
        assertThat(c.autoCreateTopicsEnable()).isTrue();
        assertThat(c.messageMaxBytes()).isEqualTo(1048588);
        assertThat(c.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(c.retentionMs()).isEqualTo(168L * 3600 * 1000);
        assertThat(c.retentionBytes()).isEqualTo(-1L);
        assertThat(c.segmentBytes()).isEqualTo(1073741824);
        assertThat(c.getInt(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS)).isEqualTo(6000);
        assertThat(c.getInt(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS)).isEqualTo(1800000);
        assertThat(c.getInt(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS)).isEqualTo(3000);
        assertThat(c.getInt(BrokerConfig.GROUP_MAX_SIZE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.getInt(BrokerConfig.OFFSETS_RETENTION_MINUTES)).isEqualTo(10080);
        assertThat(c.getInt(BrokerConfig.OFFSET_METADATA_MAX_BYTES)).isEqualTo(4096);
    }

    @Test
    void retentionPrecedenceIsMsThenMinutesThenHours() {
        assertThat(BrokerConfig.fromMap(Map.of("log.retention.hours", "1")).retentionMs())
                .isEqualTo(3_600_000L);
        assertThat(BrokerConfig.fromMap(Map.of("log.retention.hours", "1", "log.retention.minutes", "2"))
                        .retentionMs())
                .isEqualTo(120_000L);
        assertThat(BrokerConfig.fromMap(Map.of("log.retention.minutes", "2", "log.retention.ms", "5"))
                        .retentionMs())
                .isEqualTo(5L);
        assertThat(BrokerConfig.fromMap(Map.of("log.retention.ms", "-1")).retentionMs())
                .isEqualTo(-1L);
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("num.partitions", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("num.partitions", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("auto.create.topics.enable", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.create.topics.enable");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listeners", "localhost:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("log.message.timestamp.type", "Whenever")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.message.timestamp.type");
    }

    @Test
    void unknownKeysAreKeptButDoNotFail() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of("some.future.key", "1"));
        assertThat(c.explicitValues()).containsEntry("some.future.key", "1");
        assertThat(c.value("some.future.key")).isNull();
    }

    @Test
    void propertiesListenersLogDirsAndOverrides() {
        Properties p = new Properties();
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:0");
        p.setProperty("advertised.listeners", "PLAINTEXT://broker.example:19092");
        p.setProperty("log.dirs", "/tmp/a,/tmp/b");
        p.setProperty("num.partitions", "3");
        BrokerConfig c = BrokerConfig.fromProperties(p).with(Map.of("num.partitions", "4"));
        assertThat(c.listeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "127.0.0.1", 0));
        assertThat(c.advertisedListeners())
                .containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "broker.example", 19092));
        assertThat(c.logDir()).isEqualTo(Path.of("/tmp/a"));
        assertThat(c.numPartitions()).isEqualTo(4);
    }

    @Test
    void brokerIdIsAnAliasOfNodeId() {
        assertThat(BrokerConfig.fromMap(Map.of("broker.id", "7")).nodeId()).isEqualTo(7);
    }
}
