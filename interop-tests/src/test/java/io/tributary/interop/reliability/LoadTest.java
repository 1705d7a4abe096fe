package io.tributary.interop.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.TributaryProcess;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 3, load against our broker as a child JVM: many connections held while our producer and an
 * Apache consumer work, and a big classic group of raw members that forms and re-forms. Each prints one figure line.
 */
class LoadTest {
    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void thousandConnectionsHeldWhileProduceAndFetchGoOn() throws Exception {
        connections(1_000);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void twoHundredMemberGroupFormsAndReformsAfterALeave() throws Exception {
        group(200);
    }

    @Test
    @Tag("long")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void longConnections() throws Exception {
        connections(Integer.getInteger("load.connections", 5_000));
    }

    @Test
    @Tag("long")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void longGroup() throws Exception {
        group(Integer.getInteger("load.members", 500));
    }

    private void connections(int count) throws Exception {
        try (TributaryProcess broker = TributaryProcess.start(dataDir, Map.of())) {
            String topic = "load";
            KafkaClients.createTopic(broker.bootstrapServers(), topic, 4);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acked = new AtomicLong();
            AtomicLong consumed = new AtomicLong();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread producer = new Thread(() -> {
                try (TributaryProducer<byte[], byte[]> p =
                        KafkaClients.ourProducer(broker.bootstrapServers(), Map.of())) {
                    while (!stop.get()) {
                        p.send(new ProducerRecord<>(topic, new byte[100]), (md, e) -> {
                                    if (e == null) {
                                        acked.incrementAndGet();
                                    } else {
                                        failures.add(e);
                                    }
                                })
                                .get();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            Thread consumer = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> c =
                        KafkaClients.assignOnlyConsumer(broker.bootstrapServers(), Map.of())) {
                    List<TopicPartition> tps = new ArrayList<>();
                    for (int p = 0; p < 4; p++) {
                        tps.add(new TopicPartition(topic, p));
                    }
                    c.assign(tps);
                    c.seekToBeginning(tps);
                    // Until the producer is gone, not just told to stop: its last send may still be in flight.
                    while (producer.isAlive() || consumed.get() < acked.get()) {
                        ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(100));
                        consumed.addAndGet(rs.count());
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            producer.start();
            consumer.start();
            long start = System.nanoTime();
            List<WireClient> held = new ArrayList<>(count);
            try {
                for (int i = 0; i < count; i++) {
                    WireClient c = new WireClient(broker.host(), broker.port(), "held-" + i);
                    held.add(c);
                    assertThat(c.roundTrip(versions(), new ApiVersionsResponseData(), (short) 0).errorCode)
                            .isZero();
                    assertThat(metadata(c, topic).topics.get(0).errorCode).isZero();
                }
                long openedMs = (System.nanoTime() - start) / 1_000_000;
                long ackedWhileOpening = acked.get();
                // Every connection is still open and served, after the others were opened.
                for (WireClient c : held) {
                    assertThat(metadata(c, topic).topics.get(0).partitions).hasSize(4);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() > ackedWhileOpening + 100);
                stop.set(true);
                producer.join(30_000);
                consumer.join(30_000);
                assertThat(failures).isEmpty();
                assertThat(consumed.get()).isEqualTo(acked.get());
                System.out.println("load: connections held " + count + " (opened and served in " + openedMs
                        + " ms, each answered again after all were open), records produced and fetched meanwhile "
                        + acked.get());
            } finally {
                stop.set(true);
                for (WireClient c : held) {
                    c.close();
                }
            }
        }
    }

    private void group(int members) throws Exception {
        try (TributaryProcess broker =
                TributaryProcess.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "500"))) {
            String topic = "members";
            int partitions = members * 2;
            KafkaClients.createTopic(broker.bootstrapServers(), topic, partitions);
            RawGroup group = new RawGroup(broker.host(), broker.port(), "big-group", topic, partitions);
            try {
                long start = System.nanoTime();
                group.join(members);
                long formedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(group.size()).isEqualTo(members);
                group.heartbeatAll(0);

                start = System.nanoTime();
                group.leaveOne();
                group.rejoinAfterRebalance();
                long reformedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(group.size()).isEqualTo(members - 1);
                group.heartbeatAll(0);
                System.out.println("load: group members " + members + " formed in " + formedMs
                        + " ms, re-formed with " + (members - 1) + " after a leave in " + reformedMs
                        + " ms, every one of " + partitions + " partitions assigned once each time");
            } finally {
                group.close();
            }
        }
    }

    private static ApiVersionsRequestData versions() {
        return new ApiVersionsRequestData();
    }

    private static MetadataResponseData metadata(WireClient c, String topic) throws java.io.IOException {
        MetadataRequestData req = new MetadataRequestData();
        req.topics = new ArrayList<>(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)));
        return c.roundTrip(req, new MetadataResponseData(), (short) 1);
    }
}
