package io.tributary.interop.consumer;

import static io.tributary.interop.consumer.Fixtures.consumer;
import static io.tributary.interop.consumer.Fixtures.consumerConfig;
import static io.tributary.interop.consumer.Fixtures.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Settings whose effect a user sees only with a broker, against each broker: C1 (bad or missing
 * configuration fails at construction naming the key, and group APIs without a group.id fail
 * clearly), F1 (the broker holds a fetch until fetch.min.bytes arrive or fetch.max.wait.ms
 * passes) and F6 (client.id and group.instance.id reach the broker, client.rack and the socket
 * buffer sizes are accepted). The full key-by-key validation is ConsumerConfigTest's.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FetchTuningAndIdentityTest {

    static Stream<Target> targets() {
        return Targets.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void badConfigurationFailsAtConstructionNamingTheKey(Target target) {
        String bootstrap = target.shared().bootstrapServers();
        Map<String, Object> noDeserializer = consumerConfig(bootstrap);
        noDeserializer.remove("value.deserializer");
        assertThatThrownBy(() -> new TributaryConsumer<String, String>(noDeserializer))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.deserializer");
        Map<String, Object> badValue = consumerConfig(bootstrap);
        badValue.put("fetch.min.bytes", "lots");
        assertThatThrownBy(() -> new TributaryConsumer<String, String>(badValue))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fetch.min.bytes");
        try (TributaryConsumer<String, String> noGroup = consumer(bootstrap, Map.of())) {
            assertThatThrownBy(() -> noGroup.subscribe(List.of("any-topic")))
                    .isInstanceOf(InvalidGroupIdException.class)
                    .hasMessageContaining("group.id");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void theBrokerHoldsAFetchUntilMinBytesArriveOrTheWaitPasses(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("f1");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);

        // A 30 s wait and 8 KiB minimum: a few small records must stay on the broker.
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of(
                        "auto.offset.reset",
                        "earliest",
                        "fetch.min.bytes",
                        "8192",
                        "fetch.max.wait.ms",
                        "30000",
                        "request.timeout.ms",
                        "60000"))) {
            c.assign(List.of(tp));
            produce(broker.bootstrapServers(), topic, 0, 0, 3, "none");
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < holdUntil) {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertThat(got)
                    .as("records below fetch.min.bytes returned before fetch.max.wait.ms")
                    .isEmpty();

            // Enough bytes now: the held fetch is answered long before its 30 s wait.
            produce(broker.bootstrapServers(), topic, 0, 3, 400, "none");
            long enoughAt = System.nanoTime();
            await().atMost(20, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(got::add);
                        return got.size() >= 403;
                    });
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enoughAt);
            assertThat(ms)
                    .as("ms from reaching fetch.min.bytes to delivery (wait is 30000)")
                    .isLessThan(20_000);
            assertThat(got).extracting(ConsumerRecord::offset).first().isEqualTo(0L);
        }

        // A short wait: one small record comes back once the wait passes, below the minimum.
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of("auto.offset.reset", "earliest", "fetch.min.bytes", "1048576", "fetch.max.wait.ms", "300"))) {
            c.assign(List.of(tp));
            c.seek(tp, 402);
            List<ConsumerRecord<String, String>> got = Fixtures.pollUntil(c, 1);
            assertThat(got).extracting(ConsumerRecord::offset).containsExactly(402L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void clientIdAndInstanceIdReachTheBroker(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String topic = KafkaClients.uniqueTopic("f6");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        produce(broker.bootstrapServers(), topic, 0, 0, 5, "none");
        String group = topic + "-group";
        String clientId = "f6-client-" + topic;
        try (TributaryConsumer<String, String> c = consumer(
                broker.bootstrapServers(),
                Map.of(
                        "group.id",
                        group,
                        "auto.offset.reset",
                        "earliest",
                        "client.id",
                        clientId,
                        "group.instance.id",
                        "f6-instance",
                        "client.rack",
                        "rack-a",
                        "receive.buffer.bytes",
                        "-1",
                        "send.buffer.bytes",
                        "131072"))) {
            c.subscribe(List.of(topic));
            assertThat(Fixtures.pollUntil(c, 5)).hasSize(5);

            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(group);
                assertThat(d.members()).hasSize(1);
                MemberDescription m = d.members().iterator().next();
                assertThat(m.clientId()).isEqualTo(clientId);
                assertThat(m.groupInstanceId()).contains("f6-instance");
            }
        }
    }
}
