package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import java.util.Map;

/** The result of alterUserScramCredentials (Kafka's class of the same name): one future per user. */
public class AlterUserScramCredentialsResult {
    private final Map<String, KafkaFuture<Void>> futures;

    public AlterUserScramCredentialsResult(Map<String, KafkaFuture<Void>> futures) {
        this.futures = futures;
    }

    public Map<String, KafkaFuture<Void>> values() {
        return futures;
    }

    public KafkaFuture<Void> all() {
        return KafkaFuture.allOf(futures.values().toArray(new KafkaFuture<?>[0]));
    }
}
