package io.tributary.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.TopicPartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * What poll returns, walked without a copy (issue 16): the iterator goes partition after
 * partition in fetch order, skips empty lists, ends with NoSuchElementException, and removes
 * nothing (as Kafka's ConsumerRecords).
 */
class ConsumerRecordsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final TopicPartition P2 = new TopicPartition("u", 2);

    private static List<ConsumerRecord<String, String>> records(TopicPartition tp, int n) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ConsumerRecord<>(tp.topic(), tp.partition(), i, null, tp + "-" + i));
        }
        return out;
    }

    private static ConsumerRecords<String, String> threePartitions() {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new LinkedHashMap<>();
        byPartition.put(P1, records(P1, 2));
        byPartition.put(P0, records(P0, 0));
        byPartition.put(P2, records(P2, 3));
        return new ConsumerRecords<>(byPartition);
    }

    @Test
    void iteratesEveryRecordInFetchOrderSkippingEmptyPartitions() {
        ConsumerRecords<String, String> rs = threePartitions();
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> r : rs) {
            values.add(r.value());
        }
        assertThat(values).containsExactly("t-1-0", "t-1-1", "u-2-0", "u-2-1", "u-2-2");
        assertThat(rs.count()).isEqualTo(5);
        assertThat(rs.isEmpty()).isFalse();
        assertThat(rs.records(P2)).hasSize(3);
    }

    @Test
    void iteratorEndsAndRemovesNothing() {
        ConsumerRecords<String, String> rs = threePartitions();
        Iterator<ConsumerRecord<String, String>> it = rs.iterator();
        assertThat(it.next().value()).isEqualTo("t-1-0");
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        for (int i = 0; i < 4; i++) {
            assertThat(it.hasNext()).isTrue();
            it.next();
        }
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(rs.count()).isEqualTo(5);
    }

    @Test
    void emptyHasNothingToIterate() {
        ConsumerRecords<String, String> empty = ConsumerRecords.empty();
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.count()).isZero();
        assertThat(empty.iterator().hasNext()).isFalse();
        Map<TopicPartition, List<ConsumerRecord<String, String>>> onlyEmpty = Map.of(P0, List.of());
        assertThat(new ConsumerRecords<>(onlyEmpty).iterator().hasNext()).isFalse();
        assertThat(new ConsumerRecords<>(onlyEmpty).isEmpty()).isTrue();
    }
}
