package io.tributary.client.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.errors.TopicExistsException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 12: KafkaFuture fails like Kafka's (ExecutionException around the typed cause); Uuid prints as Kafka's. */
class KafkaFutureAndUuidTest {
    @Test
    void getThrowsExecutionExceptionWithTheKafkaTypedCause() {
        CompletableFuture<String> source = new CompletableFuture<>();
        KafkaFuture<Integer> mapped = KafkaFuture.wrap(source).thenApply(String::length);
        source.completeExceptionally(new TopicExistsException("Topic 'orders'"));
        assertThatThrownBy(() -> mapped.get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TopicExistsException.class)
                .hasMessageContaining("orders");
        assertThat(mapped.isCompletedExceptionally()).isTrue();
    }

    @Test
    void allOfWaitsForEveryFutureAndWhenCompleteSeesTheUnwrappedError() throws Exception {
        KafkaFuture<String> a = new KafkaFuture<>();
        KafkaFuture<String> b = new KafkaFuture<>();
        KafkaFuture<Void> all = KafkaFuture.allOf(a, b);
        a.complete("x");
        assertThat(all.isDone()).isFalse();
        b.complete("y");
        assertThat(all.get()).isNull();

        KafkaFuture<String> failed = new KafkaFuture<>();
        Throwable[] seen = new Throwable[1];
        failed.thenApply(String::trim).whenComplete((v, e) -> seen[0] = e);
        failed.completeExceptionally(new IllegalStateException("boom"));
        assertThat(seen[0]).isInstanceOf(IllegalStateException.class);
        assertThat(KafkaFuture.completedFuture(7).getNow(0)).isEqualTo(7);
    }

    @Test
    void uuidPrintsAndParsesLikeKafkas() {
        UUID raw = UUID.randomUUID();
        Uuid ours = Uuid.of(raw);
        org.apache.kafka.common.Uuid kafkas =
                new org.apache.kafka.common.Uuid(raw.getMostSignificantBits(), raw.getLeastSignificantBits());
        assertThat(ours.toString()).isEqualTo(kafkas.toString());
        assertThat(Uuid.fromString(kafkas.toString())).isEqualTo(ours);
        assertThat(ours.toUUID()).isEqualTo(raw);
        assertThatThrownBy(() -> Uuid.fromString("AAAA")).isInstanceOf(IllegalArgumentException.class);
    }
}
