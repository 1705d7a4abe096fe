package io.tributary.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.ConfigException;
import io.tributary.client.serialization.StringDeserializer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * C1 and the F/O settings: Kafka's keys and defaults (compared with Apache's ConsumerConfig), and
 * every bad or missing value failing at construction with a message naming the key.
 */
class ConsumerConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "localhost:9092");
        m.put("key.deserializer", StringDeserializer.class.getName());
        m.put("value.deserializer", StringDeserializer.class);
        return m;
    }

    @Test
    void defaultsMatchKafka() {
        ConsumerConfig c = new ConsumerConfig(minimal());
        // Compare with Apache's own ConsumerConfig so a drift in either shows up here.
        org.apache.kafka.clients.consumer.ConsumerConfig k =
                new org.apache.kafka.clients.consumer.ConsumerConfig(Map.of(
                        "bootstrap.servers",
                        "localhost:9092",
                        "key.deserializer",
                        org.apache.kafka.common.serialization.StringDeserializer.class,
                        "value.deserializer",
                        org.apache.kafka.common.serialization.StringDeserializer.class));
        for (String key : List.of(
                "session.timeout.ms",
                "heartbeat.interval.ms",
                "max.poll.interval.ms",
                "max.poll.records",
                "auto.commit.interval.ms",
                "fetch.min.bytes",
                "fetch.max.bytes",
                "fetch.max.wait.ms",
                "max.partition.fetch.bytes",
                "default.api.timeout.ms",
                "request.timeout.ms",
                "receive.buffer.bytes",
                "send.buffer.bytes")) {
            assertThat(c.getInt(key)).as(key).isEqualTo(k.getInt(key));
        }
        for (String key : List.of(
                "metadata.max.age.ms",
                "reconnect.backoff.ms",
                "reconnect.backoff.max.ms",
                "retry.backoff.ms",
                "retry.backoff.max.ms",
                "connections.max.idle.ms")) {
            assertThat(c.getLong(key)).as(key).isEqualTo(k.getLong(key));
        }
        for (String key : List.of("check.crcs", "allow.auto.create.topics", "exclude.internal.topics")) {
            assertThat(c.getBoolean(key)).as(key).isEqualTo(k.getBoolean(key));
        }
        assertThat(c.getString("auto.offset.reset")).isEqualTo(k.getString("auto.offset.reset"));
        assertThat(c.getString("isolation.level")).isEqualTo(k.getString("isolation.level"));
        assertThat(c.getString("client.rack")).isEqualTo(k.getString("client.rack"));
        assertThat(c.getString("group.protocol")).isEqualTo(k.getString("group.protocol"));
        assertThat(c.getList("partition.assignment.strategy"))
                .containsExactly(
                        "org.apache.kafka.clients.consumer.RangeAssignor",
                        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        assertThat(c.groupId()).isNull();
        // Without a group, auto-commit is off by default rather than an error.
        assertThat(c.getBoolean("enable.auto.commit")).isFalse();
    }

    @Test
    void stringValuesAreParsed() {
        Properties p = new Properties();
        p.putAll(minimal());
        p.put("group.id", "g");
        p.put("max.poll.records", " 10 ");
        p.put("enable.auto.commit", "false");
        p.put("partition.assignment.strategy", "range, roundrobin");
        p.put("fetch.max.wait.ms", 42);
        ConsumerConfig c = new ConsumerConfig(p);
        assertThat(c.getInt("max.poll.records")).isEqualTo(10);
        assertThat(c.getBoolean("enable.auto.commit")).isFalse();
        assertThat(c.getList("partition.assignment.strategy")).containsExactly("range", "roundrobin");
        assertThat(c.getInt("fetch.max.wait.ms")).isEqualTo(42);
        assertThat(c.groupId()).isEqualTo("g");
        assertThat(c.getBoolean("enable.auto.commit")).isFalse();
    }

    @Test
    void offsetResetAliasesFoldToKafkaNames() {
        for (String[] pair : new String[][] {
            {"smallest", "earliest"},
            {"largest", "latest"},
            {"EARLIEST", "earliest"},
            {"beginning", "earliest"},
            {"end", "latest"},
            {"none", "none"},
            {"error", "none"}
        }) {
            Map<String, Object> m = minimal();
            m.put("auto.offset.reset", pair[0]);
            assertThat(new ConsumerConfig(m).autoOffsetReset()).as(pair[0]).isEqualTo(pair[1]);
        }
        Map<String, Object> m = minimal();
        m.put("auto.offset.reset", "sometimes");
        assertThatThrownBy(() -> new ConsumerConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.offset.reset")
                .hasMessageContaining("sometimes");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        for (String key : List.of("bootstrap.servers", "key.deserializer", "value.deserializer")) {
            Map<String, Object> m = minimal();
            m.remove(key);
            assertThatThrownBy(() -> new ConsumerConfig(m))
                    .as(key)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key);
        }
        Map<String, Object> m = minimal();
        m.remove("key.deserializer");
        assertThat(new ConsumerConfig(m, true, false).getClass("key.deserializer"))
                .isNull();
    }

    @Test
    void badValuesAreNamed() {
        Object[][] bad = {
            {"max.poll.records", "0"},
            {"max.poll.records", "many"},
            {"fetch.min.bytes", -1},
            {"enable.auto.commit", "yes"},
            {"isolation.level", "dirty"},
            {"receive.buffer.bytes", -2},
            {"bootstrap.servers", "nohostport"},
            {"bootstrap.servers", "host:notaport"},
            {"bootstrap.servers", ""},
            {"key.deserializer", "com.example.Missing"},
            {"group.instance.id", ""},
            {"group.instance.id", "bad id!"},
            {"group.protocol", "streams"},
            {"session.timeout.ms", "1.5"},
        };
        for (Object[] kv : bad) {
            Map<String, Object> m = minimal();
            m.put((String) kv[0], kv[1]);
            assertThatThrownBy(() -> new ConsumerConfig(m))
                    .as(kv[0] + "=" + kv[1])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining((String) kv[0]);
        }
    }

    @Test
    void autoCommitWithoutGroupFails() {
        Map<String, Object> m = minimal();
        m.put("enable.auto.commit", "true");
        assertThatThrownBy(() -> new ConsumerConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enable.auto.commit");
        m.put("group.id", "g");
        assertThat(new ConsumerConfig(m).getBoolean("enable.auto.commit")).isTrue();
    }

    @Test
    void heartbeatMustBeBelowSessionTimeoutInAGroup() {
        Map<String, Object> m = minimal();
        m.put("group.id", "g");
        m.put("session.timeout.ms", "6000");
        m.put("heartbeat.interval.ms", "6000");
        assertThatThrownBy(() -> new ConsumerConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("heartbeat.interval.ms");
        // Apache's classic consumer refuses the same settings at construction (its Heartbeat
        // checks them), so failing fast here is Kafka's behaviour, not a stricter one.
        Properties apache = new Properties();
        apache.putAll(m);
        apache.put("group.protocol", "classic");
        apache.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        apache.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        assertThatThrownBy(() -> new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(apache).close())
                .hasStackTraceContaining("Heartbeat must be set lower than the session timeout");
    }

    /** Issue 14 item 4: each protocol refuses the other's keys, naming them, as Apache's consumer does. */
    @Test
    void eachGroupProtocolRejectsTheOthersKeysAsApacheDoes() {
        Object[][] cases = {
            {"consumer", "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor"},
            {"consumer", "heartbeat.interval.ms", "1000"},
            {"consumer", "session.timeout.ms", "10000"},
            {"classic", "group.remote.assignor", "uniform"},
        };
        for (Object[] c : cases) {
            Map<String, Object> m = minimal();
            m.put("group.id", "g");
            m.put("group.protocol", c[0]);
            m.put((String) c[1], c[2]);
            assertThatThrownBy(() -> new ConsumerConfig(m))
                    .as("%s with group.protocol=%s", c[1], c[0])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining((String) c[1]);
            Properties apache = new Properties();
            apache.putAll(m);
            apache.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
            apache.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
            assertThatThrownBy(() -> new org.apache.kafka.clients.consumer.ConsumerConfig(apache))
                    .as("Apache: %s with group.protocol=%s", c[1], c[0])
                    .hasMessageContaining((String) c[1]);
        }
        Map<String, Object> m = minimal();
        m.put("group.id", "g");
        m.put("group.protocol", "CONSUMER");
        m.put("group.remote.assignor", "range");
        ConsumerConfig ok = new ConsumerConfig(m);
        assertThat(ok.consumerProtocol()).isTrue();
        assertThat(ok.getString("group.remote.assignor")).isEqualTo("range");
    }

    @Test
    void unknownKeysAreKeptForDeserializers() {
        Map<String, Object> m = minimal();
        m.put("my.custom.setting", "x");
        ConsumerConfig c = new ConsumerConfig(m);
        assertThat(c.originals()).containsEntry("my.custom.setting", "x");
        assertThatThrownBy(() -> c.get("my.custom.setting")).isInstanceOf(ConfigException.class);
    }
}
