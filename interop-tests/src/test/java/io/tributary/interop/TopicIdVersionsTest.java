package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RecordingProxy;
import io.tributary.interop.support.Target;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.DeleteTopicsRequestData;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.testkit.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.tools.BrokerApiVersionsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 item 5 acceptance (topic ids and versions): Apache's {@code kafka-broker-api-versions.sh}
 * ({@link BrokerApiVersionsCommand}, run in this JVM) shows Metadata and Fetch at v12 or later on
 * both brokers, our data and topic APIs are usable at the same versions as Apache's, and Apache's
 * own clients really name topics by id against our broker: a {@link RecordingProxy} in front of it
 * (our broker advertises the proxy, so every connection goes through it) sees their Fetch, Metadata
 * and DeleteTopics requests carry the topic id.
 */
class TopicIdVersionsTest {
    /** One line of the command's output per API, e.g. {@code Fetch(1): 4 to 18 [usable: 18]}. */
    private static final Pattern API_LINE =
            Pattern.compile("\\s*([A-Za-z]+)\\((\\d+)\\): (?:(\\d+) to )?(\\d+) \\[usable: (\\d+)\\]");

    /** API name to usable version, as the command printed it for the broker at {@code bootstrap}. */
    private static Map<String, Integer> usableVersions(String bootstrap) throws Exception {
        String out = stdoutOf(() -> {
            try {
                BrokerApiVersionsCommand.execute("--bootstrap-server", bootstrap);
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Integer> usable = new TreeMap<>();
        for (String line : out.split("\n")) {
            Matcher m = API_LINE.matcher(line.replace(",", ""));
            if (m.matches()) {
                usable.put(m.group(1), Integer.parseInt(m.group(5)));
            }
        }
        assertThat(usable).as("parsed from:%n%s", out).isNotEmpty();
        return usable;
    }

    /** What {@code action} prints to System.out (the command prints there and nowhere else). */
    private static synchronized String stdoutOf(Supplier<Void> action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.get();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void brokerApiVersionsCommandShowsMetadataAndFetchAtV12OrLater(Target target) throws Exception {
        Map<String, Integer> usable = usableVersions(target.shared().bootstrapServers());
        assertThat(usable.get("Metadata")).isGreaterThanOrEqualTo(12);
        assertThat(usable.get("Fetch")).isGreaterThanOrEqualTo(12);
        assertThat(usable).containsKey("DescribeCluster");
    }

    /** Our data and topic APIs at the version Apache's clients would use with Apache (Produce v13 by id included). */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void dataAndTopicApisAreUsableAtApachesVersions() throws Exception {
        Map<String, Integer> ours = usableVersions(Target.TRIBUTARY.shared().bootstrapServers());
        Map<String, Integer> apache = usableVersions(Target.APACHE.shared().bootstrapServers());
        for (String api : List.of(
                "Metadata",
                "Fetch",
                "ListOffsets",
                "CreateTopics",
                "DeleteTopics",
                "CreatePartitions",
                "DescribeCluster",
                "Produce")) {
            assertThat(ours.get(api)).as(api).isEqualTo(apache.get(api));
        }
        assertThat(ours.get("Produce")).isEqualTo(13);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void apacheClientsNameTopicsByIdOnTheWireAgainstOurBroker() throws Exception {
        try (RecordingProxy proxy = RecordingProxy.bind();
                // The testkit broker directly: its bound port, not the advertised (proxy) one, is the target.
                EmbeddedBroker broker =
                        EmbeddedBroker.start(Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()))) {
            proxy.forwardTo(broker.port());
            String bootstrap = proxy.bootstrapServers();
            String topic = KafkaClients.uniqueTopic("by-id");
            Properties ap = new Properties();
            ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(ap)) {
                CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
                Uuid id = created.topicId(topic).get(30, TimeUnit.SECONDS);
                UUID topicId = new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());

                List<String> sent = List.of("a", "b", "c", "d", "e");
                try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, Map.of())) {
                    for (String v : sent) {
                        producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)))
                                .get(30, TimeUnit.SECONDS);
                    }
                }
                List<String> got = new ArrayList<>();
                try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.assignOnlyConsumer(bootstrap, Map.of())) {
                    TopicPartition tp = new TopicPartition(topic, 0);
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                    await("the consumer reads every record")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> {
                                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(KafkaClients.pollTimeout())) {
                                    got.add(new String(r.value(), StandardCharsets.UTF_8));
                                }
                                return got.size() >= sent.size();
                            });
                }
                assertThat(got).containsExactlyElementsOf(sent);

                TopicDescription described = admin.describeTopics(TopicCollection.ofTopicIds(List.of(id)))
                        .allTopicIds()
                        .get(30, TimeUnit.SECONDS)
                        .get(id);
                assertThat(described.name()).isEqualTo(topic);
                admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> admin.describeTopics(TopicCollection.ofTopicIds(List.of(id)))
                                .allTopicIds()
                                .get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(UnknownTopicIdException.class);

                List<RecordingProxy.Frame> frames = proxy.requests();
                List<FetchRequestData> fetches = bodies(frames, ApiMessageType.FETCH, FetchRequestData::new);
                assertThat(fetches).as("fetches through the proxy").isNotEmpty();
                assertThat(versions(frames, ApiMessageType.FETCH)).allMatch(v -> v >= 13);
                for (FetchRequestData f : fetches) {
                    assertThat(f.topics).allSatisfy(t -> assertThat(t.topicId).isEqualTo(topicId));
                }
                assertThat(bodies(frames, ApiMessageType.METADATA, MetadataRequestData::new))
                        .as("a Metadata request by id (describeTopics of an id)")
                        // Apache's admin leaves the name at its default, "" (not null), next to the id.
                        .anySatisfy(m -> assertThat(m.topics)
                                .singleElement()
                                .satisfies(t -> assertThat(t.topicId).isEqualTo(topicId)));
                assertThat(bodies(frames, ApiMessageType.DELETE_TOPICS, DeleteTopicsRequestData::new))
                        .singleElement()
                        .satisfies(d -> assertThat(d.topics)
                                .singleElement()
                                .satisfies(t -> assertThat(t.topicId).isEqualTo(topicId)));
                assertThat(versions(frames, ApiMessageType.METADATA)).contains((short) 13);
                assertThat(versions(frames, ApiMessageType.CREATE_TOPICS)).containsOnly((short) 7);
                assertThat(versions(frames, ApiMessageType.DELETE_TOPICS)).containsOnly((short) 6);
                assertThat(versions(frames, ApiMessageType.PRODUCE)).contains((short) 13);
                assertThat(bodies(frames, ApiMessageType.PRODUCE, ProduceRequestData::new))
                        .as("produce by id (KIP-516)")
                        .allSatisfy(pr -> assertThat(pr.topicData)
                                .allSatisfy(t -> assertThat(t.topicId).isEqualTo(topicId)));
            }
        }
    }

    private static List<Short> versions(List<RecordingProxy.Frame> frames, ApiMessageType api) {
        return frames.stream()
                .filter(f -> f.apiKey() == api.apiKey())
                .map(RecordingProxy.Frame::apiVersion)
                .toList();
    }

    /** The request bodies of one API as the client sent them, decoded at their versions. */
    private static <T extends ApiMessage> List<T> bodies(
            List<RecordingProxy.Frame> frames, ApiMessageType api, Supplier<T> empty) {
        List<T> out = new ArrayList<>();
        for (RecordingProxy.Frame f : frames) {
            if (f.apiKey() != api.apiKey()) {
                continue;
            }
            ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(f.payload()));
            r.readShort(); // api key
            r.readShort(); // api version
            r.readInt(); // correlation id
            r.readString(); // client id: int16-length even in header v2
            if (api.requestHeaderVersion(f.apiVersion()) >= 2) {
                int tags = r.readUnsignedVarint();
                for (int i = 0; i < tags; i++) {
                    r.readUnsignedVarint();
                    r.skip(r.readUnsignedVarint());
                }
            }
            T body = empty.get();
            body.read(r, f.apiVersion());
            out.add(body);
        }
        return out;
    }
}
