package io.tributary.interop.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.RunningBroker;
import io.tributary.interop.support.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 acceptance: Apache's {@code kafka-transactions.sh} ({@code TransactionsCommand} from
 * kafka-tools 4.3.1, run as a child JVM on the test class path) lists and describes an open
 * transaction, against our broker and Apache Kafka with the same assertions.
 */
class TransactionsCommandTest {
    private static final String TOOL = "org.apache.kafka.tools.TransactionsCommand";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);

    static java.util.stream.Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void listsAndDescribesAnOpenTransaction(Target target) throws Exception {
        RunningBroker broker = target.shared();
        String bootstrap = broker.bootstrapServers();
        String topic = KafkaClients.uniqueTopic("txn-tool");
        String txnId = KafkaClients.uniqueTopic("txn-tool-id");
        KafkaClients.createTopic(bootstrap, topic, 2);
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(bootstrap, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, null, "open".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);

            String list = tool(bootstrap, "list").stdout();
            assertThat(list.lines().filter(l -> l.contains(txnId)).toList())
                    .as("list\n%s", list)
                    .singleElement()
                    .satisfies(l -> assertThat(l.split("\\s+")).contains(txnId, "Ongoing"));

            String describe =
                    tool(bootstrap, "describe", "--transactional-id", txnId).stdout();
            assertThat(describe)
                    .as("describe")
                    .contains(txnId)
                    .contains("Ongoing")
                    .contains(topic + "-1");

            producer.abortTransaction();
        }
    }

    private static ExternalCommand.Result tool(String bootstrap, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TOOL, "--bootstrap-server", bootstrap));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, new byte[0], TOOL_TIMEOUT).assertSuccess();
    }
}
