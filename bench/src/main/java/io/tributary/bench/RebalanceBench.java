package io.tributary.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long a consumer group of N members (classic protocol; Apache's KafkaConsumer, or ours with
 * {@code --clients tributary}, or both) takes to
 * settle after one more member joins, eager (RangeAssignor) and cooperative
 * (CooperativeStickyAssignor), on each broker, as milliseconds and the ratio Tributary/Apache.
 * With {@code --group-protocol consumer} the group speaks KIP-848 instead (the broker assigns,
 * {@code --remote-assignor}, default the broker's first, {@code uniform}); the row's protocol is
 * then "consumer". With {@code --lag-drain} it measures the lag-aware assignor instead (see
 * {@link LagDrainBench}).
 *
 * <p>"Settled" means: the members' partitions cover the topic exactly once, the split is balanced
 * (sizes differ by at most one), and (classic protocol) all N+1 members report the same
 * generation. A KIP-848 member whose partitions did not change gets no callback, so its epoch as
 * last seen may lag; there, the exact, balanced coverage alone is the settled state. The time runs
 * from just before the new member subscribes to the last rebalance callback of that final
 * state, taken from the callbacks' own timestamps, so the main thread's polling interval does
 * not add to it. The join comes at a seeded pseudo-random point of the heartbeat cycle, the same
 * for both brokers (see {@link #joinPhaseMs}). Both brokers get the same {@code group.initial.rebalance.delay.ms} (Apache's
 * default, 3000, unless {@code --initial-delay-ms}); it only delays forming the group, which is
 * not timed.
 *
 * <p>Runs on the main thread; each member runs its own poll loop on its own thread.
 */
final class RebalanceBench {
    private static final long FORM_TIMEOUT_MS = 180_000;
    private static final long SETTLE_TIMEOUT_MS = 120_000;
    private static final short CONSUMER_GROUP_HEARTBEAT = 68;

    private final List<Integer> memberCounts = new ArrayList<>();
    private final List<String> protocols;
    private final boolean consumerProtocol;
    /** When the members learn of a join: their heartbeat interval (client's or broker's). */
    private final long heartbeatMs;

    private final List<String> clients;
    private final int partitions;
    private final int repeats;
    private final long initialDelayMs;
    private final Map<String, Object> consumerSettings = new LinkedHashMap<>();
    private int groupSequence;

    /** One member's view, replaced whole on every rebalance callback (read by the main thread). */
    private record Snapshot(int generation, Set<TopicPartition> owned, long changedAtNs) {}

    RebalanceBench(Args args) {
        for (String n : args.list("members", "1,10,50")) {
            memberCounts.add(Integer.parseInt(n));
        }
        String groupProtocol = args.string("group-protocol", "classic");
        if (!groupProtocol.equals("classic") && !groupProtocol.equals("consumer")) {
            throw new IllegalArgumentException("--group-protocol takes classic or consumer, not " + groupProtocol);
        }
        this.consumerProtocol = groupProtocol.equals("consumer");
        this.protocols = consumerProtocol ? List.of("consumer") : args.list("protocol", "eager,cooperative");
        for (String protocol : consumerProtocol ? List.<String>of() : protocols) {
            if (!protocol.equals("eager") && !protocol.equals("cooperative")) {
                throw new IllegalArgumentException("--protocol takes eager and/or cooperative, not " + protocol);
            }
        }
        this.clients = args.list("clients", "apache");
        for (String client : clients) {
            if (!client.equals("apache") && !client.equals("tributary")) {
                throw new IllegalArgumentException("--clients takes apache and/or tributary, not " + client);
            }
        }
        int max = memberCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        this.partitions = args.intValue("partitions", 2 * (max + 1));
        this.repeats = args.intValue("repeats", 1);
        this.initialDelayMs = args.longValue("initial-delay-ms", 3000);
        // Apache client defaults, written out so the header shows what both brokers faced.
        consumerSettings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        if (consumerProtocol) {
            // KIP-848: session and heartbeat are the broker's (group.consumer.*, 45 s and 5 s on both).
            String assignor = args.string("remote-assignor", null);
            if (assignor != null) {
                consumerSettings.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
            }
        } else {
            consumerSettings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000");
            consumerSettings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        }
        consumerSettings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000");
        // commits would add OffsetCommit traffic to the timed rebalance; this measures membership only
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.putAll(args.properties("consumer-prop"));
        this.heartbeatMs = consumerProtocol
                ? 5000
                : Long.parseLong(String.valueOf(consumerSettings.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)));
    }

    void run(Args args) throws Exception {
        if (args.flag("lag-drain")) {
            new LagDrainBench(args).run();
            return;
        }
        System.out.printf(
                "rebalance: members %s + 1 joining, protocols %s, %d partitions, repeats=%d,"
                        + " group.initial.rebalance.delay.ms=%d on both brokers%n",
                memberCounts, protocols, partitions, repeats, initialDelayMs);
        System.out.println("consumer: " + consumerSettings);
        try (Brokers brokers =
                Brokers.start(args, Map.of("group.initial.rebalance.delay.ms", String.valueOf(initialDelayMs)))) {
            List<BrokerUnderTest> usable = new ArrayList<>();
            for (BrokerUnderTest broker : brokers.all()) {
                String missing = consumerProtocol
                        ? ApiProbe.missing(
                                broker,
                                ApiProbe.METADATA,
                                ApiProbe.CREATE_TOPICS,
                                ApiProbe.FIND_COORDINATOR,
                                CONSUMER_GROUP_HEARTBEAT,
                                ApiProbe.OFFSET_FETCH,
                                ApiProbe.LIST_OFFSETS)
                        : ApiProbe.missing(
                                broker,
                                ApiProbe.METADATA,
                                ApiProbe.CREATE_TOPICS,
                                ApiProbe.FIND_COORDINATOR,
                                ApiProbe.JOIN_GROUP,
                                ApiProbe.SYNC_GROUP,
                                ApiProbe.HEARTBEAT,
                                ApiProbe.LEAVE_GROUP,
                                ApiProbe.OFFSET_FETCH,
                                ApiProbe.LIST_OFFSETS);
                if (missing != null) {
                    System.out.println(broker.name() + " SKIPPED: no group support yet (" + missing + ")");
                } else {
                    usable.add(broker);
                }
            }
            if (usable.isEmpty()) {
                System.out.println("no broker to measure");
                return;
            }
            for (BrokerUnderTest broker : usable) {
                Load.createTopic(broker, "rebalance", partitions);
            }
            Table table = new Table("protocol", "members", "client", "broker", "settle ms", "runs (ms)").leftAligned(4);
            List<String> ratios = new ArrayList<>();
            for (String protocol : protocols) {
                for (int n : memberCounts) {
                    for (String client : clients) {
                        Map<String, Double> medianByBroker = new LinkedHashMap<>();
                        for (BrokerUnderTest broker : usable) {
                            List<Long> runs = new ArrayList<>();
                            String problem = null;
                            for (int r = 0; r < repeats && problem == null; r++) {
                                try {
                                    runs.add(measure(client, broker, protocol, n, joinPhaseMs(protocol, n, client, r))
                                            .settleMs());
                                } catch (IllegalStateException e) {
                                    problem = e.getMessage();
                                }
                            }
                            double median = runs.isEmpty() || problem != null
                                    ? Double.NaN
                                    : runs.stream().sorted().toList().get((runs.size() - 1) / 2);
                            medianByBroker.put(broker.name(), median);
                            table.row(
                                    protocol,
                                    n + "+1",
                                    client,
                                    broker.name(),
                                    Table.num(median),
                                    problem == null ? runs.toString() : "FAILED: " + problem);
                            System.out.printf(
                                    "  %s %d+1 %s consumers on %s: %s%n",
                                    protocol,
                                    n,
                                    client,
                                    broker.name(),
                                    problem == null ? runs + " ms" : "FAILED: " + problem);
                        }
                        Double ours = medianByBroker.get("tributary");
                        Double theirs = medianByBroker.get("apache");
                        if (ours != null && theirs != null) {
                            ratios.add(String.format(
                                    "%s %d+1 (%s consumers): %s", protocol, n, client, Table.ratio(ours, theirs)));
                        }
                    }
                }
            }
            System.out.println();
            System.out.print(table.render());
            if (ratios.isEmpty()) {
                System.out.println("ratio tributary/apache: n/a (only "
                        + usable.stream().map(BrokerUnderTest::name).toList() + " measured)");
            } else {
                System.out.println("ratio tributary/apache broker, settle time (lower is better):");
                ratios.forEach(r -> System.out.println("  " + r));
            }
        }
    }

    /**
     * How long after the group settles the extra member joins. Members learn of a join from
     * their next heartbeat, so joining right after the group formed would always hit the worst
     * heartbeat phase; a pseudo-random phase within one heartbeat interval, the same for both
     * brokers (seeded by the case, not the broker), gives typical figures.
     */
    private long joinPhaseMs(String protocol, int n, String client, int repeat) {
        return new SplittableRandom(java.util.Objects.hash(protocol, n, client, repeat))
                .nextLong(Math.max(1, heartbeatMs));
    }

    /**
     * One timed join: the group's id, its settle time, and the wall-clock time (epoch ms) just
     * before the joining member subscribed, for matching the broker's own log lines.
     */
    record Settle(String group, long settleMs, long joinEpochMs) {}

    /** A classic-protocol bench with Apache's consumers, as the suite runs it; topic "rebalance". */
    static RebalanceBench classic(List<Integer> members) {
        String list = String.join(",", members.stream().map(String::valueOf).toList());
        return new RebalanceBench(Args.parse(new String[] {"--members", list}, 0));
    }

    int partitions() {
        return partitions;
    }

    /** {@link #measure} with Apache's consumers at the case's seeded heartbeat phase. */
    Settle measure(BrokerUnderTest broker, String protocol, int n, int repeat) {
        return measure("apache", broker, protocol, n, joinPhaseMs(protocol, n, "apache", repeat));
    }

    /** Forms a group of {@code n}, waits {@code phaseMs}, lets one more join, times it to settled. */
    private Settle measure(String client, BrokerUnderTest broker, String protocol, int n, long phaseMs) {
        String group = "bench-" + client + "-" + protocol + "-" + n + "-" + (groupSequence++);
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                members.add(Member.start(client, broker, group, protocol, consumerSettings, i));
            }
            awaitSettled(members, System.nanoTime(), FORM_TIMEOUT_MS, "forming the group of " + n);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(phaseMs));
            long startEpochMs = System.currentTimeMillis();
            long startNs = System.nanoTime();
            members.add(Member.start(client, broker, group, protocol, consumerSettings, n));
            long settledNs = awaitSettled(members, startNs, SETTLE_TIMEOUT_MS, "settling after member " + (n + 1));
            return new Settle(group, TimeUnit.NANOSECONDS.toMillis(settledNs - startNs), startEpochMs);
        } finally {
            members.forEach(Member::stop);
            members.forEach(Member::join);
        }
    }

    /** Waits for the settled state; returns the time of the last callback that produced it. */
    private long awaitSettled(List<Member> members, long sinceNs, long timeoutMs, String what) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadlineNs) {
            Long settledAt = settledAt(members, sinceNs);
            if (settledAt != null) {
                return settledAt;
            }
            for (Member member : members) {
                if (member.failure != null) {
                    throw new IllegalStateException(what + ": member " + member.index + " failed: " + member.failure);
                }
            }
            // a benchmark observer, not synchronisation: the timed value comes from the callbacks
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        throw new IllegalStateException("timed out " + what + " after " + timeoutMs + " ms");
    }

    private Long settledAt(List<Member> members, long sinceNs) {
        Set<TopicPartition> covered = new HashSet<>();
        int total = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        int generation = Integer.MIN_VALUE;
        long last = sinceNs;
        for (Member member : members) {
            Snapshot s = member.snapshot;
            if (s.generation() < 0
                    || (!consumerProtocol && generation != Integer.MIN_VALUE && s.generation() != generation)) {
                return null;
            }
            generation = s.generation();
            covered.addAll(s.owned());
            total += s.owned().size();
            min = Math.min(min, s.owned().size());
            max = Math.max(max, s.owned().size());
            last = Math.max(last, s.changedAtNs());
        }
        boolean exactlyOnce = covered.size() == partitions && total == partitions;
        return exactlyOnce && max - min <= 1 ? last : null;
    }

    /**
     * One group member: a consumer (Apache's or ours, same settings) and the thread that polls
     * it. The consumer is confined to that thread; {@link #snapshot} is how the main thread sees
     * it.
     */
    private abstract static class Member {
        private final int index;
        private final Thread thread;
        private final Set<TopicPartition> owned = new HashSet<>();
        private volatile Snapshot snapshot = new Snapshot(-1, Set.of(), 0);
        private volatile boolean running = true;
        private volatile Throwable failure;

        Member(int index) {
            this.index = index;
            this.thread = new Thread(this::pollLoop, "bench-member-" + index);
            this.thread.setDaemon(true);
        }

        static Member start(
                String client,
                BrokerUnderTest broker,
                String group,
                String protocol,
                Map<String, Object> settings,
                int index) {
            Map<String, Object> config = new LinkedHashMap<>(settings);
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + index);
            // Apache's class names; our consumer accepts them too, so both get identical config.
            // KIP-848 members have no client-side assignor (the client refuses the setting).
            if (!protocol.equals("consumer")) {
                config.put(
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        protocol.equals("eager")
                                ? RangeAssignor.class.getName()
                                : CooperativeStickyAssignor.class.getName());
            }
            Member member = client.equals("tributary") ? new OurMember(index, config) : new ApacheMember(index, config);
            member.thread.start();
            return member;
        }

        abstract void subscribe(String topic);

        abstract void poll();

        abstract int generation();

        abstract void closeConsumer();

        private void pollLoop() {
            try {
                subscribe("rebalance");
                while (running) {
                    poll();
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                try {
                    closeConsumer();
                } catch (RuntimeException e) {
                    // closing after a failed run; the failure is already recorded
                }
            }
        }

        private void publish() {
            snapshot = new Snapshot(generation(), Set.copyOf(owned), System.nanoTime());
        }

        final void revoked(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            publish();
        }

        final void assigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            publish();
        }

        void stop() {
            running = false;
        }

        void join() {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A member using Apache's KafkaConsumer. */
    private static final class ApacheMember extends Member implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;

        ApacheMember(int index, Map<String, Object> config) {
            super(index);
            this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        void subscribe(String topic) {
            consumer.subscribe(List.of(topic), this);
        }

        @Override
        void poll() {
            consumer.poll(Duration.ofMillis(100));
        }

        @Override
        int generation() {
            return consumer.groupMetadata().generationId();
        }

        @Override
        void closeConsumer() {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoked(partitions);
        }
    }

    /** A member using our TributaryConsumer; partitions are mapped to Apache's type for the checks. */
    private static final class OurMember extends Member
            implements io.tributary.client.consumer.ConsumerRebalanceListener {
        private final io.tributary.client.consumer.TributaryConsumer<byte[], byte[]> consumer;

        OurMember(int index, Map<String, Object> config) {
            super(index);
            Map<String, Object> ours = new LinkedHashMap<>(config);
            this.consumer = new io.tributary.client.consumer.TributaryConsumer<>(
                    ours,
                    new io.tributary.client.serialization.ByteArrayDeserializer(),
                    new io.tributary.client.serialization.ByteArrayDeserializer());
        }

        @Override
        void subscribe(String topic) {
            consumer.subscribe(List.of(topic), this);
        }

        @Override
        void poll() {
            consumer.poll(Duration.ofMillis(100));
        }

        @Override
        int generation() {
            return consumer.groupMetadata().generationId();
        }

        @Override
        void closeConsumer() {
            consumer.close(Duration.ofSeconds(5));
        }

        private static List<TopicPartition> apache(Collection<io.tributary.client.common.TopicPartition> partitions) {
            return partitions.stream()
                    .map(tp -> new TopicPartition(tp.topic(), tp.partition()))
                    .toList();
        }

        @Override
        public void onPartitionsRevoked(Collection<io.tributary.client.common.TopicPartition> partitions) {
            revoked(apache(partitions));
        }

        @Override
        public void onPartitionsAssigned(Collection<io.tributary.client.common.TopicPartition> partitions) {
            assigned(apache(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<io.tributary.client.common.TopicPartition> partitions) {
            revoked(apache(partitions));
        }
    }
}
