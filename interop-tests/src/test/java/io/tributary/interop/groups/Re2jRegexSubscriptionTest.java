package io.tributary.interop.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 (KIP-848): broker-side regular-expression subscriptions are RE2/J syntax on our broker
 * as on Apache Kafka 4.3. Apache's {@code KafkaConsumer} subscribes with a
 * {@link SubscriptionPattern}: a Python-style named group (RE2 only) picks the topic; a
 * look-ahead (Java only) makes poll fail with InvalidRegularExpression.
 */
class Re2jRegexSubscriptionTest {
    static Iterable<Target> targets() {
        return Target.selected()::iterator;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void re2SyntaxSubscribesAndJavaOnlySyntaxIsRefused(Target target) throws Exception {
        String bootstrap = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("re2j");
        KafkaClients.createTopic(bootstrap, topic, 2);

        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic + "-ok")) {
            c.subscribe(new SubscriptionPattern("(?P<name>" + topic.replace("-", "\\-") + ")"));
            Set<TopicPartition> expected = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            await("the RE2 pattern's topic is assigned")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        c.poll(Duration.ofMillis(100));
                        return new HashSet<>(c.assignment()).equals(expected);
                    });
        }
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic + "-bad")) {
            c.subscribe(new SubscriptionPattern(topic + "(?=x)"));
            Throwable[] failure = {null};
            await("poll fails with InvalidRegularExpression")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        try {
                            c.poll(Duration.ofMillis(100));
                        } catch (InvalidRegularExpression e) {
                            failure[0] = e;
                        }
                        return failure[0] != null;
                    });
            assertThat(failure[0]).isInstanceOf(InvalidRegularExpression.class);
            assertThat(c.assignment()).isEmpty();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.putAll(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
