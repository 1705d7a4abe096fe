package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The crash loops' audit (issue 15, item 2) can fail: a log holding a record twice, out of order,
 * or without a record that was acknowledged is reported. Written with a plain (non-idempotent)
 * producer to the shared in-process broker, so the faults are put there on purpose.
 */
class LogAuditTest {
    @Test
    void duplicatesReorderingAndLostAcknowledgementsAreReported() throws Exception {
        String bootstrap = Target.TRIBUTARY.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("audit");
        KafkaClients.createTopic(bootstrap, topic, 1);
        AckLedger ledger = new AckLedger(1);
        try (TributaryProducer<byte[], byte[]> producer =
                KafkaClients.ourProducer(bootstrap, Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            for (long seq : List.of(0L, 1L, 2L)) {
                send(producer, topic, ledger, seq);
            }
            assertThat(LogAudit.audit(bootstrap, topic, 1, ledger).violations())
                    .as("a clean log")
                    .isEmpty();

            send(producer, topic, ledger, 1); // stored twice
            send(producer, topic, ledger, 5);
            send(producer, topic, ledger, 4); // behind a later record of the same producer
            ledger.acked(0, 9, LogAudit.id(0, 9)); // an acknowledgement the log does not hold
        }
        LogAudit.Result result = LogAudit.audit(bootstrap, topic, 1, ledger);
        assertThat(result.recordsRead()).isEqualTo(6);
        assertThat(String.join("\n", result.violations()))
                .contains("p0-1 stored twice: at 0/1 and 0/3")
                .contains("p0-4 at 0/5 comes after p0-5 in partition 0")
                .contains("acknowledged p0-9 at 0/9 but found nothing");
    }

    private static void send(TributaryProducer<byte[], byte[]> producer, String topic, AckLedger ledger, long seq)
            throws Exception {
        String id = LogAudit.id(0, seq);
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, 0, id.getBytes(), LogAudit.value(id)))
                .get(30, TimeUnit.SECONDS);
        ledger.acked(m.partition(), m.offset(), id);
    }
}
