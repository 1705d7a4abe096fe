package io.tributary.interop.admin;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AdminClient;
import io.tributary.client.admin.AdminClientConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;

/** Our admin client and producer pointed at a broker, for the issue 12 admin tests. Stateless. */
final class AdminFixtures {
    private AdminFixtures() {}

    static Admin admin(String bootstrap) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        // Kafka's older entry point, as ported code would call it; TributaryAdmin.create is the same client.
        return AdminClient.create(conf);
    }

    /** {@code count} records per partition with our producer, timestamps {@code base + i * 1000}. */
    static void produce(String bootstrap, String topic, int partitions, int count, long base) throws Exception {
        Map<String, Object> conf = new HashMap<>();
        conf.put("bootstrap.servers", bootstrap);
        try (TributaryProducer<String, String> p =
                new TributaryProducer<>(conf, new StringSerializer(), new StringSerializer())) {
            for (int part = 0; part < partitions; part++) {
                for (int i = 0; i < count; i++) {
                    p.send(new ProducerRecord<>(topic, part, base + i * 1000L, "k" + i, "v" + part + "-" + i))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The cause {@code KafkaFuture.get} failed with, which must be of {@code type}. */
    static <T extends Throwable> T failure(io.tributary.client.common.KafkaFuture<?> f, Class<T> type)
            throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Assertions.assertThat(e.getCause()).isInstanceOf(type);
            return type.cast(e.getCause());
        }
        throw new AssertionError("expected " + type.getSimpleName() + " but the call succeeded");
    }
}
