package io.tributary.interop.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import io.tributary.reference.ApacheKafkaNode;
import io.tributary.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 item 4 acceptance (KIP-227): a consumer of 1,000 partitions sends incremental fetches,
 * checked on the wire. Each broker (ours and Apache Kafka) advertises a {@link FetchRecordingProxy}
 * in front of it, so every Fetch a client sends crosses the proxy, which records its size, session
 * id and epoch. Apache's KafkaConsumer and ours each read one record from each of 1,000 partitions;
 * once caught up, their fetches must be incremental (epoch &gt; 0 in one session), name no
 * partitions, and be a small fraction of the full fetch that opened the session.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FetchSessionsTest {
    private static final int PARTITIONS = 1_000;
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    enum Client {
        APACHE_CONSUMER,
        TRIBUTARY_CONSUMER
    }

    /** A broker behind its recording proxy, with a topic of {@link #PARTITIONS} partitions, one record each. */
    private record Proxied(FetchRecordingProxy proxy, AutoCloseable broker, String topic) {
        String bootstrap() {
            return "127.0.0.1:" + proxy.port();
        }
    }

    private final Map<Target, Proxied> brokers = new EnumMap<>(Target.class);

    static Stream<Arguments> cases() {
        return Target.selected().flatMap(t -> Stream.of(Client.values()).map(c -> Arguments.of(t, c)));
    }

    @AfterAll
    void stop() throws Exception {
        for (Proxied p : brokers.values()) {
            // Without the topic, both brokers shut down in seconds instead of closing 1,000 logs. Deleting
            // them is itself a thousand log closes (each with an fsync): on a loaded 2-core CI machine that
            // took over 30 s once, so the bound is generous.
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap());
            try (Admin admin = Admin.create(props)) {
                admin.deleteTopics(List.of(p.topic())).all().get(150, TimeUnit.SECONDS);
            }
            p.proxy().close();
            p.broker().close();
        }
    }

    private Proxied broker(Target target) throws Exception {
        Proxied existing = brokers.get(target);
        if (existing != null) {
            return existing;
        }
        FetchRecordingProxy proxy = new FetchRecordingProxy();
        String advertised = "127.0.0.1:" + proxy.port();
        AutoCloseable broker;
        IntSupplier port;
        if (target == Target.TRIBUTARY) {
            EmbeddedBroker ours = EmbeddedBroker.start(Map.of("advertised.listeners", "PLAINTEXT://" + advertised));
            broker = ours;
            port = ours::port;
        } else {
            // A listener of its own, advertised as the proxy; the test kit keeps its EXTERNAL one.
            Map<String, String> s = new LinkedHashMap<>(Target.COMMON_SETTINGS);
            s.put("listeners", "EXTERNAL://localhost:0,PROXIED://127.0.0.1:0,CONTROLLER://localhost:0");
            s.put("advertised.listeners", "EXTERNAL://localhost:0,PROXIED://" + advertised);
            s.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT");
            ApacheKafkaNode node = ApacheKafkaNode.start(s);
            broker = node;
            port = () -> node.boundPort("PROXIED");
        }
        proxy.forwardTo(port);
        Proxied p = new Proxied(proxy, broker, KafkaClients.uniqueTopic("sessions"));
        brokers.put(target, p);
        KafkaClients.createTopic(p.bootstrap(), p.topic(), PARTITIONS);
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(p.bootstrap(), Map.of("linger.ms", 20))) {
            for (int i = 0; i < PARTITIONS; i++) {
                producer.send(new ProducerRecord<>(p.topic(), i, null, Fixtures.utf8("v" + i)));
            }
            producer.flush();
        }
        return p;
    }

    @ParameterizedTest(name = "{1} against {0}")
    @MethodSource("cases")
    void aConsumerOfAThousandPartitionsSendsIncrementalFetches(Target target, Client client) throws Exception {
        Proxied broker = broker(target);
        String clientId = "sessions-" + client + "-" + CLIENTS.incrementAndGet();
        List<FetchRecordingProxy.Fetch> fetches;
        try (PollingConsumer consumer = PollingConsumer.open(client, broker.bootstrap(), clientId, broker.topic())) {
            AtomicInteger records = new AtomicInteger();
            await("all " + PARTITIONS + " records")
                    .atMost(60, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> records.addAndGet(consumer.poll()) >= PARTITIONS);
            assertThat(records.get()).isEqualTo(PARTITIONS);
            int caughtUp = broker.proxy().fetchesOf(clientId).size();
            // Caught up, nothing new: a few more fetch rounds (fetch.max.wait.ms is 100 ms).
            await("incremental fetches once caught up")
                    .atMost(30, TimeUnit.SECONDS)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        consumer.poll();
                        return broker.proxy().fetchesOf(clientId).size() >= caughtUp + 4;
                    });
            fetches = broker.proxy().fetchesOf(clientId);
        }

        FetchRecordingProxy.Fetch first = fetches.get(0);
        int fullBytes = fetches.stream()
                .mapToInt(FetchRecordingProxy.Fetch::bytes)
                .max()
                .orElseThrow();
        int named = fetches.stream()
                .mapToInt(FetchRecordingProxy.Fetch::partitions)
                .max()
                .orElseThrow();
        List<FetchRecordingProxy.Fetch> last = fetches.subList(fetches.size() - 3, fetches.size());
        System.out.printf(
                "%s against %s: %d fetches, full fetch %d B (%d partitions), last fetches %s%n",
                client,
                target,
                fetches.size(),
                fullBytes,
                named,
                last.stream().map(f -> f.bytes() + " B epoch " + f.epoch()).toList());

        assertThat(first.epoch()).as("the first fetch opens a session").isZero();
        assertThat(named).as("a full fetch names (nearly) every partition").isGreaterThan(PARTITIONS / 2);
        int sessionId = last.get(0).sessionId();
        assertThat(sessionId).as("a session was granted").isNotZero();
        for (FetchRecordingProxy.Fetch f : last) {
            assertThat(f.sessionId()).isEqualTo(sessionId);
            assertThat(f.epoch()).as("incremental").isPositive();
            assertThat(f.partitions()).as("nothing changed, nothing resent").isZero();
            assertThat(f.bytes()).as("far smaller than the full fetch").isLessThan(fullBytes / 20);
        }
    }

    /** Apache's consumer or ours, assigned every partition of the topic from the beginning. */
    private interface PollingConsumer extends AutoCloseable {
        /** One poll; the number of records it returned. */
        int poll();

        @Override
        void close();

        static PollingConsumer open(Client client, String bootstrap, String clientId, String topic) {
            Map<String, Object> settings = Map.of(
                    "client.id", clientId,
                    "auto.offset.reset", "earliest",
                    "fetch.max.wait.ms", "100");
            if (client == Client.APACHE_CONSUMER) {
                KafkaConsumer<byte[], byte[]> c = KafkaClients.assignOnlyConsumer(bootstrap, settings);
                List<org.apache.kafka.common.TopicPartition> tps = new ArrayList<>();
                for (int i = 0; i < PARTITIONS; i++) {
                    tps.add(new org.apache.kafka.common.TopicPartition(topic, i));
                }
                c.assign(tps);
                return new PollingConsumer() {
                    @Override
                    public int poll() {
                        return c.poll(Duration.ofMillis(200)).count();
                    }

                    @Override
                    public void close() {
                        c.close();
                    }
                };
            }
            TributaryConsumer<String, String> c = Fixtures.consumer(bootstrap, settings);
            List<io.tributary.client.common.TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new io.tributary.client.common.TopicPartition(topic, i));
            }
            c.assign(tps);
            return new PollingConsumer() {
                @Override
                public int poll() {
                    return c.poll(Duration.ofMillis(200)).count();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        }
    }
}
