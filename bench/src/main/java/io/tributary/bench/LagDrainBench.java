package io.tributary.bench;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The lag-aware assignor (feature X6) against {@code uniform}: how long a consumer group takes
 * to drain a skewed backlog, on our broker only (Apache Kafka has no lag-aware assignor).
 *
 * <p>The scenario is the one X6 is for: consumers come back after an outage to a backlog that
 * piled up on a few "hot" partitions (by default the first P/M, the ones the first member keeps
 * under uniform's stickiness as the others join). Each member (Apache's KafkaConsumer,
 * {@code group.protocol=consumer}) processes records at a fixed cost per record ({@code --cost-us},
 * a parked thread standing for a downstream write), so the drain time is set by the member with
 * the most backlog, not by the machine's CPU: it is printed beside the time that prediction gives
 * (largest member backlog x cost). Members join with their partitions paused; the clock starts
 * once the group is stable and they resume. Runs alternate A/B/B/A.
 */
final class LagDrainBench {
    private static final String TOPIC = "drain";
    private static final long SETTLE_TIMEOUT_MS = 120_000;
    private static final long DRAIN_TIMEOUT_MS = 600_000;

    private final Args args;
    private final int members;
    private final int partitions;
    private final int hot;
    private final long hotRecords;
    private final long coldRecords;
    private final long costUs;
    private final List<String> assignors;
    private final int rounds;

    LagDrainBench(Args args) {
        this.args = args;
        this.members = args.intValue("drain-members", 4);
        this.partitions = args.intValue("drain-partitions", 12);
        this.hot = args.intValue("hot-partitions", partitions / members);
        this.hotRecords = Args.parseCount(args.string("hot-records", "20k"));
        this.coldRecords = Args.parseCount(args.string("cold-records", "500"));
        this.costUs = args.longValue("cost-us", 100);
        this.assignors = args.list("assignors", "uniform,lag-aware");
        this.rounds = args.intValue("rounds", 1);
    }

    private long backlogOf(int partition) {
        return partition < hot ? hotRecords : coldRecords;
    }

    void run() throws Exception {
        System.out.printf(
                "lag drain (X6): %d members, %d partitions (%d hot x %d records, the rest x %d), %d us per record,"
                        + " assignors %s, %d round(s) A/B/B/A, our broker only%n",
                members, partitions, hot, hotRecords, coldRecords, costUs, assignors, rounds);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("group.consumer.assignors", "uniform,range,lag-aware");
        settings.put("group.consumer.heartbeat.interval.ms", "1000");
        settings.put("group.consumer.min.heartbeat.interval.ms", "500");
        settings.putAll(args.properties("broker-prop"));
        settings.putAll(args.properties("tributary-prop"));
        try (TributaryBroker broker = TributaryBroker.start(settings)) {
            Load.createTopic(broker, TOPIC, partitions);
            produceBacklog(broker.bootstrapServers());
            List<String> order = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                order.addAll(assignors);
                List<String> back = new ArrayList<>(assignors);
                java.util.Collections.reverse(back);
                order.addAll(back);
            }
            Table table = new Table(
                            "assignor", "run", "drain ms", "predicted ms", "max member backlog", "load avg (1m)")
                    .leftAligned(1);
            for (int i = 0; i < order.size(); i++) {
                String assignor = order.get(i);
                String load = loadAverage();
                long[] result = drain(broker.bootstrapServers(), assignor, "drain-" + assignor + "-" + i);
                table.row(
                        assignor,
                        i + 1,
                        result[0],
                        result[1] * costUs / 1000,
                        result[1],
                        load + " -> " + loadAverage());
                System.out.printf(
                        "  %s run %d: drained in %d ms (largest member backlog %d records)%n",
                        assignor, i + 1, result[0], result[1]);
            }
            System.out.println();
            System.out.print(table.render());
        }
    }

    /** The backlog is loaded with our producer: what is measured is the group's drain, not the load. */
    private void produceBacklog(String bootstrap) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        byte[] value = new byte[100];
        try (TributaryProducer<byte[], byte[]> producer =
                new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (long i = 0; i < backlogOf(p); i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, value));
                }
            }
            producer.flush();
        }
    }

    /** One drain from the start of the topic by a fresh group: {drain ms, largest member backlog}. */
    private long[] drain(String bootstrap, String assignor, String group) throws Exception {
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            total += backlogOf(p);
        }
        AtomicLong consumed = new AtomicLong();
        AtomicLong lastRecordNs = new AtomicLong();
        List<DrainMember> started = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (int m = 0; m < members; m++) {
                DrainMember member = new DrainMember(bootstrap, group, assignor, m, consumed, lastRecordNs);
                started.add(member);
                member.thread.start();
            }
            ConsumerGroupDescription stable = awaitStable(admin, group, started);
            long largest = 0;
            for (MemberDescription d : stable.members()) {
                long backlog = 0;
                for (TopicPartition tp : d.assignment().topicPartitions()) {
                    backlog += backlogOf(tp.partition());
                }
                largest = Math.max(largest, backlog);
            }
            long startNs = System.nanoTime();
            started.forEach(DrainMember::go);
            long deadline = startNs + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            while (consumed.get() < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(group + ": drained " + consumed.get() + " of " + total);
                }
                // a benchmark observer: the figure comes from the members' own timestamps
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return new long[] {TimeUnit.NANOSECONDS.toMillis(lastRecordNs.get() - startNs), largest};
        } finally {
            started.forEach(DrainMember::stop);
            for (DrainMember m : started) {
                m.thread.join(15_000);
            }
        }
    }

    private ConsumerGroupDescription awaitStable(Admin admin, String group, List<DrainMember> started)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            for (DrainMember m : started) {
                if (m.failure != null) {
                    throw new IllegalStateException(group + ": member failed", m.failure);
                }
            }
            ConsumerGroupDescription d;
            try {
                d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                // No member's first heartbeat has reached the coordinator yet: the group does not exist.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            int owned = 0;
            boolean reconciled = true;
            for (MemberDescription m : d.members()) {
                owned += m.assignment().topicPartitions().size();
                reconciled &= m.targetAssignment()
                        .map(t -> t.topicPartitions().equals(m.assignment().topicPartitions()))
                        .orElse(false);
            }
            if (d.groupState() == GroupState.STABLE
                    && d.members().size() == members
                    && owned == partitions
                    && reconciled) {
                return d;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IllegalStateException(group + ": not stable within " + SETTLE_TIMEOUT_MS + " ms");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** A member: joins paused, drains at the fixed per-record cost once told to go. */
    private final class DrainMember implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final AtomicLong consumed;
        private final AtomicLong lastRecordNs;
        private final Thread thread;
        private volatile boolean going;
        private volatile boolean running = true;
        private volatile Throwable failure;

        DrainMember(String bootstrap, String group, String assignor, int index, AtomicLong consumed, AtomicLong last) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + index);
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            config.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
            // no commits: the lags the assignor sees stay end offset minus nothing while members join
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.putAll(args.properties("consumer-prop"));
            this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.consumed = consumed;
            this.lastRecordNs = last;
            this.thread = new Thread(this::loop, "drain-member-" + index);
            this.thread.setDaemon(true);
        }

        void go() {
            going = true;
        }

        void stop() {
            running = false;
        }

        private void loop() {
            try {
                consumer.subscribe(List.of(TOPIC), this);
                boolean resumed = false;
                while (running) {
                    if (going && !resumed) {
                        consumer.resume(consumer.paused());
                        resumed = true;
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                    int n = records.count();
                    if (n > 0) {
                        // the stand-in for the downstream work each record costs
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(n * costUs));
                        lastRecordNs.accumulateAndGet(System.nanoTime(), Math::max);
                        consumed.addAndGet(n);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!going) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    }
}
