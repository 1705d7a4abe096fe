package io.tributary.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RecordingProxy;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ProduceRequestData;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.testkit.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Captures the seeds of the reliability module's fuzz targets (issue 15) from real traffic: Apache's
 * admin client, producer (every codec) and group consumer talk to our broker through a
 * {@link RecordingProxy}, and every request frame they send (up to three per API and version)
 * becomes an input of {@code ProtocolMessagesFuzzTest#requestFrames}; the record data of their
 * Produce requests becomes inputs of {@code RecordBatchFuzzTest}. Tagged {@code seeds}, so it runs
 * only when asked, and writes into the reliability module's sources:
 * {@code mvn -B test -pl interop-tests -am -Dtributary.excludedGroups= -Dgroups=seeds -Dtest=FuzzSeedCaptureTest}.
 */
@Tag("seeds")
class FuzzSeedCaptureTest {
    private static final Path FUZZ_RESOURCES = Path.of(
            System.getProperty("fuzz.seeds.dir", "../reliability/src/test/resources/io/tributary/reliability/fuzz"));
    private static final int PER_API_VERSION = 3;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void captureRequestFramesOfApacheClients() throws Exception {
        List<RecordingProxy.Frame> frames;
        try (RecordingProxy proxy = RecordingProxy.bind();
                EmbeddedBroker broker =
                        EmbeddedBroker.start(Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()))) {
            proxy.forwardTo(broker.port());
            workload(proxy.bootstrapServers());
            frames = proxy.requests();
        }
        Path framesDir =
                Files.createDirectories(FUZZ_RESOURCES.resolve("ProtocolMessagesFuzzTestInputs/requestFrames"));
        Path batchesDir = Files.createDirectories(FUZZ_RESOURCES.resolve("RecordBatchFuzzTestInputs/recordIteration"));
        Path validationDir =
                Files.createDirectories(FUZZ_RESOURCES.resolve("RecordBatchFuzzTestInputs/produceValidation"));
        Map<String, Integer> perApiVersion = new HashMap<>();
        int written = 0;
        int batches = 0;
        for (RecordingProxy.Frame f : frames) {
            ApiMessageType api = ApiMessageType.fromApiKey(f.apiKey());
            String name = (api == null ? "key" + f.apiKey() : api.apiName()) + "-v" + f.apiVersion();
            int n = perApiVersion.merge(name, 1, Integer::sum);
            if (n <= PER_API_VERSION) {
                Files.write(framesDir.resolve("apache-" + name + "-" + n), f.payload());
                written++;
            }
            if (api == ApiMessageType.PRODUCE && batches < 20) {
                for (byte[] records : produceRecords(f)) {
                    Files.write(batchesDir.resolve("apache-produce-" + batches), records);
                    Files.write(validationDir.resolve("apache-produce-" + batches), records);
                    batches++;
                }
            }
        }
        assertThat(perApiVersion.keySet())
                .as("frames of the main APIs were captured")
                .anyMatch(k -> k.startsWith("Produce-v"))
                .anyMatch(k -> k.startsWith("Fetch-v"))
                .anyMatch(k -> k.startsWith("JoinGroup-v"))
                .anyMatch(k -> k.startsWith("CreateTopics-v"));
        assertThat(written).isGreaterThan(20);
        assertThat(batches).isGreaterThanOrEqualTo(5);
    }

    private static void workload(String bootstrap) throws Exception {
        String topic = KafkaClients.uniqueTopic("seeds");
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("cleanup.policy", "compact,delete"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
                try (KafkaProducer<byte[], byte[]> p =
                        KafkaClients.producer(bootstrap, Map.of("compression.type", codec, "linger.ms", "20"))) {
                    for (int i = 0; i < 30; i++) {
                        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                                topic, bytes("key-" + (i % 7)), bytes(codec + " value " + i + " ".repeat(i)));
                        r.headers().add("h" + i % 3, bytes("header " + i));
                        p.send(r);
                    }
                    p.flush();
                }
            }
            TopicPartition tp0 = new TopicPartition(topic, 0);
            admin.listOffsets(Map.of(tp0, OffsetSpec.maxTimestamp())).all().get(30, TimeUnit.SECONDS);
            admin.listOffsets(Map.of(tp0, OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS);
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaClients.uniqueTopic("seeds-group"));
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic));
                int[] seen = {0};
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    seen[0] += c.poll(Duration.ofMillis(200)).count();
                    return seen[0] >= 150;
                });
                c.commitSync();
            }
            admin.listGroups().all().get(30, TimeUnit.SECONDS);
            admin.deleteRecords(Map.of(tp0, RecordsToDelete.beforeOffset(1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.describeLogDirs(List.of(0)).allDescriptions().get(30, TimeUnit.SECONDS);
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The record data of every partition of a captured Produce request. */
    private static List<byte[]> produceRecords(RecordingProxy.Frame f) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(f.payload()));
        r.readShort();
        r.readShort();
        r.readInt();
        r.readString();
        if (ApiMessageType.PRODUCE.requestHeaderVersion(f.apiVersion()) >= 2) {
            int tags = r.readUnsignedVarint();
            for (int i = 0; i < tags; i++) {
                r.readUnsignedVarint();
                r.skip(r.readUnsignedVarint());
            }
        }
        ProduceRequestData body = new ProduceRequestData();
        body.read(r, f.apiVersion());
        return body.topicData.stream()
                .flatMap(t -> t.partitionData.stream())
                .filter(p -> p.records instanceof MemoryRecords)
                .map(p -> {
                    ByteBuffer b = ((MemoryRecords) p.records).buffer().duplicate();
                    byte[] out = new byte[b.remaining()];
                    b.get(out);
                    return out;
                })
                .toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
