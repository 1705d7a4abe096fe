package io.tributary.client.consumer.internals;

import static io.tributary.client.consumer.internals.ScriptedCoordinator.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 4: the consumer-protocol membership (KIP-848) driven by a hand-moved clock and a
 * scripted coordinator: the join with epoch 0 and a client-made member id, heartbeats at the
 * broker's interval, fencing (onPartitionsLost, then epoch 0 again with the same member id),
 * leaving with epoch -1 or -2, and the member epoch as the commits' generation.
 */
class ConsumerProtocolMembershipTest {
    private static final int MAX_POLL_INTERVAL_MS = 60_000;
    private static final long RETRY_BACKOFF_MS = 100;
    private static final int BROKER_INTERVAL_MS = 2_000;
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final ManualTime time = new ManualTime();
    private final ScriptedCoordinator coordinator = new ScriptedCoordinator();
    private final BackgroundEventQueue events = new BackgroundEventQueue();
    private final SubscriptionState subscriptions = new SubscriptionState("latest", true);
    private final NetworkClient network = new NetworkClient(
            List.of(), "test", -1, -1, 30_000, 50, 1_000, io.tributary.client.network.ChannelSecurityConfig.PLAINTEXT);
    private ConsumerProtocolMembership membership;

    private void start(String instanceId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        c.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "uniform");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "io.tributary.client.serialization.StringDeserializer");
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.tributary.client.serialization.StringDeserializer");
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
        c.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MS);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (instanceId != null) {
            c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        MetadataManager metadata = new MetadataManager(network, 300_000, RETRY_BACKOFF_MS, false);
        membership = new ConsumerProtocolMembership(
                new ConsumerConfig(c), metadata, subscriptions, coordinator, events, new FetchBuffer(), time);
        subscriptions.subscribe(List.of("t"), new NoOpListener());
    }

    @AfterEach
    void tearDown() {
        network.close();
    }

    @Test
    void joinsWithEpochZeroAndItsOwnMemberIdThenHeartbeatsAtTheBrokersInterval() {
        start(null);
        membership.poll(time.milliseconds());
        ConsumerGroupHeartbeatRequestData join = lastHeartbeat();
        assertThat(join.memberEpoch).isZero();
        assertThat(join.memberId).as("KIP-1082: the client makes its member id").hasSize(22);
        assertThat(join.subscribedTopicNames).containsExactly("t");
        assertThat(join.serverAssignor).isEqualTo("uniform");
        assertThat(join.rebalanceTimeoutMs).isEqualTo(MAX_POLL_INTERVAL_MS);
        assertThat(join.instanceId).isNull();
        assertThat(membership.generation()).isEqualTo(Generation.NO_GENERATION);

        joined(join.memberId, 1);
        assertThat(membership.generation()).isEqualTo(new Generation(1, join.memberId, null));
        // The acknowledgement of the (empty) first assignment goes at once, then one per interval.
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).hasSize(2);
        answer(coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT), ok(join.memberId, 1));
        time.sleep(BROKER_INTERVAL_MS - 1);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).hasSize(2);
        time.sleep(1);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).hasSize(3);
        assertThat(lastHeartbeat().memberEpoch).isEqualTo(1);
        assertThat(lastHeartbeat().memberId).isEqualTo(join.memberId);
    }

    @Test
    void aSubscriptionPatternGoesToTheBrokerAsARegexInsteadOfNames() {
        start(null);
        subscriptions.unsubscribe();
        subscriptions.subscribeBrokerRegex("t.*", new NoOpListener());
        membership.poll(time.milliseconds());
        assertThat(lastHeartbeat().subscribedTopicRegex).isEqualTo("t.*");
        assertThat(lastHeartbeat().subscribedTopicNames).isNull();
    }

    @Test
    void aFencedMemberLosesItsPartitionsThenRejoinsWithEpochZeroAndTheSameId() {
        start(null);
        membership.poll(time.milliseconds());
        String memberId = lastHeartbeat().memberId;
        // Joined without an assignment yet; the partition stands for one owned from an earlier round.
        answer(coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT), ok(memberId, 3));
        assertThat(events.poll()).isNull();
        subscriptions.setAssignment(List.of(TP));
        time.sleep(BROKER_INTERVAL_MS);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).hasSize(2);
        answer(
                coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT),
                new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.FENCED_MEMBER_EPOCH.code()));

        BackgroundEvent.RebalanceCallback lost = nextCallback();
        assertThat(lost.kind()).isEqualTo(BackgroundEvent.RebalanceCallback.Kind.LOST);
        assertThat(lost.partitions()).containsExactly(TP);
        assertThat(lost.commitFirst()).as("lost partitions are never committed").isFalse();
        assertThat(membership.generation()).isEqualTo(Generation.NO_GENERATION);
        int before = heartbeats().size();
        time.sleep(BROKER_INTERVAL_MS * 2L);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).as("no heartbeat until the listener ran").hasSize(before);

        subscriptions.setAssignment(List.of());
        membership.onCallbackDone(lost, null);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).hasSize(before + 1);
        assertThat(lastHeartbeat().memberEpoch).isZero();
        assertThat(lastHeartbeat().memberId).isEqualTo(memberId);
        assertThat(lastHeartbeat().topicPartitions).isEmpty();
    }

    @Test
    void anExpiredPollIntervalLeavesAtOnceThenLosesAndRejoinsAtTheNextPoll() {
        start(null);
        membership.poll(time.milliseconds());
        String memberId = lastHeartbeat().memberId;
        answer(coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT), ok(memberId, 4));
        subscriptions.setAssignment(List.of(TP));

        time.sleep(MAX_POLL_INTERVAL_MS);
        membership.poll(time.milliseconds());
        int sent = heartbeats().size();
        ScriptedCoordinator.Sent beforeTimeout = coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT);
        time.sleep(1);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).hasSize(sent + 1);
        assertThat(lastHeartbeat().memberEpoch).as("left the group").isEqualTo(-1);
        assertThat(membership.generation()).isEqualTo(Generation.NO_GENERATION);
        time.sleep(BROKER_INTERVAL_MS * 3L);
        membership.poll(time.milliseconds());
        assertThat(heartbeats()).as("no rejoin before the application polls").hasSize(sent + 1);

        membership.onPoll(time.milliseconds());
        BackgroundEvent.RebalanceCallback lost = nextCallback();
        assertThat(lost.kind()).isEqualTo(BackgroundEvent.RebalanceCallback.Kind.LOST);
        subscriptions.setAssignment(List.of());
        membership.onCallbackDone(lost, null);
        membership.poll(time.milliseconds());
        assertThat(lastHeartbeat().memberEpoch).isZero();
        assertThat(lastHeartbeat().memberId).isEqualTo(memberId);
        // A late answer to a heartbeat sent before the timeout does not count for the new join.
        answer(beforeTimeout, ok(memberId, 4));
        assertThat(membership.generation()).isEqualTo(Generation.NO_GENERATION);
    }

    @Test
    void aDynamicMemberLeavesWithEpochMinusOne() {
        assertThat(leaveEpoch(null)).isEqualTo(-1);
    }

    @Test
    void aStaticMemberLeavesWithEpochMinusTwoSoItsPartitionsWait() {
        assertThat(leaveEpoch("instance-1")).isEqualTo(-2);
        assertThat(lastHeartbeat().instanceId).isEqualTo("instance-1");
    }

    @Test
    void staleMemberEpochOnACommitIsRetried() {
        assertThat(Retries.retriable(new StaleMemberEpochException("OffsetCommit of t-0")))
                .isTrue();
        assertThat(Errors.STALE_MEMBER_EPOCH.retriable())
                .as("the code itself is not")
                .isFalse();
    }

    private int leaveEpoch(String instanceId) {
        start(instanceId);
        membership.poll(time.milliseconds());
        String memberId = lastHeartbeat().memberId;
        joined(memberId, 5);
        CompletableFuture<Void> left = membership.leave(time.milliseconds(), "test");
        ConsumerGroupHeartbeatRequestData leave = lastHeartbeat();
        assertThat(leave.memberId).isEqualTo(memberId);
        assertThat(left).isNotDone();
        answer(
                coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT),
                new ConsumerGroupHeartbeatResponseData().setMemberId(memberId).setMemberEpoch(leave.memberEpoch));
        assertThat(left).isCompleted();
        return leave.memberEpoch;
    }

    /** Answers the join with {@code epoch} and an empty assignment, and runs its ASSIGNED callback. */
    private void joined(String memberId, int epoch) {
        answer(
                coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT),
                ok(memberId, epoch).setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()));
        BackgroundEvent.RebalanceCallback assigned = nextCallback();
        assertThat(assigned.kind()).isEqualTo(BackgroundEvent.RebalanceCallback.Kind.ASSIGNED);
        assertThat(assigned.partitions()).isEqualTo(Set.of());
        membership.onCallbackDone(assigned, null);
    }

    private static ConsumerGroupHeartbeatResponseData ok(String memberId, int epoch) {
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setHeartbeatIntervalMs(BROKER_INTERVAL_MS);
    }

    private BackgroundEvent.RebalanceCallback nextCallback() {
        BackgroundEvent event = events.poll();
        assertThat(event).isInstanceOf(BackgroundEvent.RebalanceCallback.class);
        return (BackgroundEvent.RebalanceCallback) event;
    }

    private List<ScriptedCoordinator.Sent> heartbeats() {
        return coordinator.sent(ApiMessageType.CONSUMER_GROUP_HEARTBEAT);
    }

    private ConsumerGroupHeartbeatRequestData lastHeartbeat() {
        return (ConsumerGroupHeartbeatRequestData)
                coordinator.last(ApiMessageType.CONSUMER_GROUP_HEARTBEAT).body();
    }

    private static final class NoOpListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }
}
