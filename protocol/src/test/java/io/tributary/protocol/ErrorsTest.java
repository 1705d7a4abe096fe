package io.tributary.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

/** Our error codes must be Kafka's: clients map code and retriability to behaviour. */
class ErrorsTest {

    @Test
    void everyConstantMatchesKafkasCodeNameAndRetriability() {
        for (Errors ours : Errors.values()) {
            org.apache.kafka.common.protocol.Errors kafka =
                    org.apache.kafka.common.protocol.Errors.forCode(ours.code());
            assertThat(kafka.code()).as("code of %s", ours).isEqualTo(ours.code());
            assertThat(kafka.name()).as("name for code %d", ours.code()).isEqualTo(ours.name());
            boolean kafkaRetriable = kafka.exception() instanceof RetriableException;
            assertThat(ours.retriable()).as("retriable of %s", ours).isEqualTo(kafkaRetriable);
        }
    }

    @Test
    void codesAreUniqueAndForCodeFindsThem() {
        for (Errors e : Errors.values()) {
            assertThat(Errors.forCode(e.code())).isSameAs(e);
        }
        assertThat(Errors.forCode((short) 30_000)).isSameAs(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) -2)).isSameAs(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void definesEveryKafkaCode() {
        List<String> missing = new ArrayList<>();
        for (org.apache.kafka.common.protocol.Errors k : org.apache.kafka.common.protocol.Errors.values()) {
            if (Errors.forCode(k.code()) == Errors.UNKNOWN_SERVER_ERROR && k.code() != -1) {
                missing.add(k.code() + " " + k.name());
            }
        }
        assertThat(missing)
                .as("Kafka error codes missing from io.tributary.protocol.Errors")
                .isEmpty();
    }
}
