package io.tributary.client.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.Node;
import io.tributary.client.common.PartitionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12: the default partitioner keys records exactly as Apache's producer does. */
class BuiltInPartitionerTest {

    /** Values printed by Apache's {@code Utils.murmur2} (kafka-clients 4.3.1) for these keys. */
    @ParameterizedTest
    @CsvSource(
            value = {
                "'', 275646681, 3",
                "a, -1563381124, 4",
                "ab, 316155434, 2",
                "abc, 479470107, 3",
                "abcd, -1323649548, 2",
                "key-0, 29210041, 1",
                "key-1008, -948176989, 1",
                "tributary, 77843494, 4"
            })
    void murmur2MatchesKnownApacheValues(String key, int hash, int partitionOf6) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        assertThat(BuiltInPartitioner.murmur2(bytes)).isEqualTo(hash);
        assertThat(BuiltInPartitioner.partitionForKey(bytes, 6)).isEqualTo(partitionOf6);
    }

    @Test
    void murmur2EqualsApacheUtilsForRandomKeysOfEveryTailLength() {
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = new byte[random.nextInt(64)];
            random.nextBytes(key);
            assertThat(BuiltInPartitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
            int partitions = 1 + random.nextInt(100);
            assertThat(BuiltInPartitioner.partitionForKey(key, partitions))
                    .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
        }
    }

    @Test
    void unkeyedRecordsStickToOnePartitionForAboutBatchSizeThenSpreadUniformly() {
        List<PartitionInfo> parts = new ArrayList<>();
        Node leader = new Node(1, "h", 1, null);
        for (int p = 0; p < 4; p++) {
            parts.add(new PartitionInfo("t", p, leader, List.of(leader), List.of(leader), List.of()));
        }
        BuiltInPartitioner partitioner = new BuiltInPartitioner(1000);
        Map<Integer, Integer> counts = new HashMap<>();
        int switches = 0;
        int previous = -1;
        for (int i = 0; i < 40_000; i++) {
            int p = partitioner.partitionForUnkeyed("t", parts, 100);
            if (p != previous) {
                switches++;
                if (previous >= 0) {
                    assertThat(i % 10).as("switch only after batch.size bytes").isZero();
                }
            }
            previous = p;
            counts.merge(p, 1, Integer::sum);
        }
        assertThat(switches).isEqualTo(4000);
        assertThat(counts.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);
        counts.values().forEach(c -> assertThat(c).isBetween(8_000, 12_000));
    }

    @Test
    void unkeyedRecordsSkipPartitionsWithoutALeader() {
        Node leader = new Node(1, "h", 1, null);
        List<PartitionInfo> parts = List.of(
                new PartitionInfo("t", 0, null, List.of(), List.of(), List.of()),
                new PartitionInfo("t", 1, leader, List.of(leader), List.of(leader), List.of()));
        BuiltInPartitioner partitioner = new BuiltInPartitioner(10);
        for (int i = 0; i < 100; i++) {
            assertThat(partitioner.partitionForUnkeyed("t", parts, 10)).isEqualTo(1);
        }
    }
}
