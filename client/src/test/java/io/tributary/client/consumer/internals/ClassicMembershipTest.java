package io.tributary.client.consumer.internals;

import static io.tributary.client.consumer.internals.ScriptedCoordinator.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.assignor.ConsumerPartitionAssignor.Assignment;
import io.tributary.client.consumer.assignor.ConsumerProtocol;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.HeartbeatResponseData;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.LeaveGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Classic membership driven by a hand-moved clock and a scripted coordinator: heartbeats fall due,
 * sessions lapse and the poll timeout expires exactly when the injected time says so, with no
 * sleeping and no broker.
 */
class ClassicMembershipTest {
    private static final int HEARTBEAT_INTERVAL_MS = 3_000;
    private static final int SESSION_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;
    private static final int MAX_POLL_INTERVAL_MS = 60_000;
    private static final long RETRY_BACKOFF_MS = 100;
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final ManualTime time = new ManualTime();
    private final ScriptedCoordinator coordinator = new ScriptedCoordinator();
    private final BackgroundEventQueue events = new BackgroundEventQueue();
    private final SubscriptionState subscriptions = new SubscriptionState("latest", true);
    private NetworkClient network;
    private ClassicMembership membership;

    @BeforeEach
    void setUp() {
        ConsumerConfig config = new ConsumerConfig(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "localhost:9092",
                ConsumerConfig.GROUP_ID_CONFIG,
                "g",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                "io.tributary.client.serialization.StringDeserializer",
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                "io.tributary.client.serialization.StringDeserializer",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                HEARTBEAT_INTERVAL_MS,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                SESSION_TIMEOUT_MS,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                MAX_POLL_INTERVAL_MS,
                ConsumerConfig.RETRY_BACKOFF_MS_CONFIG,
                RETRY_BACKOFF_MS));
        network = new NetworkClient(
                List.of(),
                "test",
                -1,
                -1,
                30_000,
                50,
                1_000,
                io.tributary.client.network.ChannelSecurityConfig.PLAINTEXT);
        MetadataManager metadata = new MetadataManager(network, 300_000, RETRY_BACKOFF_MS, false);
        membership =
                new ClassicMembership(config, metadata, subscriptions, coordinator, events, new FetchBuffer(), time);
        subscriptions.subscribe(List.of("t"), new NoOpListener());
    }

    @AfterEach
    void tearDown() {
        network.close();
    }

    @Test
    void heartbeatFallsDueOneIntervalAfterTheJoinByTheInjectedClock() {
        joinAsFollower();
        long joinedAt = time.milliseconds();

        time.sleep(HEARTBEAT_INTERVAL_MS - 1);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).isEmpty();

        time.sleep(1);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(1);

        // One in flight at a time, however late the answer.
        time.sleep(HEARTBEAT_INTERVAL_MS * 2L);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(1);

        answer(coordinator.last(ApiMessageType.HEARTBEAT), new HeartbeatResponseData());
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(2);
        assertThat(time.milliseconds() - joinedAt).isEqualTo(3L * HEARTBEAT_INTERVAL_MS);
        assertThat(coordinator.markedUnknown).isEmpty();
    }

    @Test
    void aFailedHeartbeatIsRetriedAfterTheBackoffOnTheInjectedClock() {
        joinAsFollower();
        time.sleep(HEARTBEAT_INTERVAL_MS);
        membership.poll(time.milliseconds());
        coordinator.last(ApiMessageType.HEARTBEAT).response().completeExceptionally(new IllegalStateException("down"));

        time.sleep(RETRY_BACKOFF_MS - 1);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(1);

        time.sleep(1);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(2);
    }

    @Test
    void noSuccessfulHeartbeatWithinTheSessionForgetsTheCoordinator() {
        joinAsFollower();
        HeartbeatResponseData failed = new HeartbeatResponseData().setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());

        // Heartbeats at 1, 2 and 3 intervals after the join, all answered with an error; the
        // third comes exactly at session.timeout.ms, which has not passed yet.
        for (int i = 1; i <= 3; i++) {
            time.sleep(HEARTBEAT_INTERVAL_MS);
            membership.poll(time.milliseconds());
            assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(i);
            answer(coordinator.last(ApiMessageType.HEARTBEAT), failed);
        }
        assertThat(coordinator.markedUnknown).isEmpty();

        time.sleep(HEARTBEAT_INTERVAL_MS);
        membership.poll(time.milliseconds());
        assertThat(coordinator.markedUnknown).containsExactly("no successful heartbeat within session.timeout.ms");
    }

    @Test
    void aSuccessfulHeartbeatKeepsTheSessionAlive() {
        joinAsFollower();
        for (int i = 1; i <= 5; i++) {
            time.sleep(HEARTBEAT_INTERVAL_MS);
            membership.poll(time.milliseconds());
            answer(coordinator.last(ApiMessageType.HEARTBEAT), new HeartbeatResponseData());
        }
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).hasSize(5);
        assertThat(coordinator.markedUnknown).isEmpty();
    }

    @Test
    void pollTimeoutLeavesTheGroupWhenTheApplicationStopsPolling() {
        joinAsFollower();
        membership.onPoll(time.milliseconds());

        time.sleep(MAX_POLL_INTERVAL_MS);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.LEAVE_GROUP)).isEmpty();
        assertThat(membership.generation().generationId()).isEqualTo(1);

        time.sleep(1);
        membership.poll(time.milliseconds());
        assertThat(coordinator.sent(ApiMessageType.LEAVE_GROUP)).hasSize(1);
        answer(coordinator.last(ApiMessageType.LEAVE_GROUP), new LeaveGroupResponseData());
        assertThat(membership.generation()).isEqualTo(Generation.NO_GENERATION);
    }

    @Test
    void phasesRefuseTransitionsFromPhasesTheyMayNotFollow() {
        assertThat(MembershipPhase.JOINING.checkTransitionFrom(MembershipPhase.PREPARING))
                .isEqualTo(MembershipPhase.JOINING);
        assertThat(MembershipPhase.IDLE.checkTransitionFrom(MembershipPhase.SYNCING))
                .isEqualTo(MembershipPhase.IDLE);
        assertThatThrownBy(() -> MembershipPhase.SYNCING.checkTransitionFrom(MembershipPhase.STABLE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("STABLE")
                .hasMessageContaining("SYNCING");
        assertThatThrownBy(() -> MembershipPhase.COMPLETING.checkTransitionFrom(MembershipPhase.IDLE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from IDLE to COMPLETING");
    }

    /** JoinGroup (not the leader), SyncGroup with partition t-0, the ASSIGNED callback answered. */
    private void joinAsFollower() {
        membership.poll(time.milliseconds());
        answer(
                coordinator.last(ApiMessageType.JOIN_GROUP),
                new JoinGroupResponseData()
                        .setGenerationId(1)
                        .setMemberId("m1")
                        .setLeader("other")
                        .setProtocolName("range"));
        answer(
                coordinator.last(ApiMessageType.SYNC_GROUP),
                new SyncGroupResponseData()
                        .setAssignment(ConsumerProtocol.serializeAssignment(
                                new Assignment(List.of(TP)), ConsumerProtocol.ASSIGNMENT_VERSION)));
        assertThat(subscriptions.assignedPartitions()).containsExactly(TP);
        BackgroundEvent event = events.poll();
        assertThat(event).isInstanceOf(BackgroundEvent.RebalanceCallback.class);
        BackgroundEvent.RebalanceCallback assigned = (BackgroundEvent.RebalanceCallback) event;
        assertThat(assigned.kind()).isEqualTo(BackgroundEvent.RebalanceCallback.Kind.ASSIGNED);
        membership.onCallbackDone(assigned, null);
        assertThat(membership.generation().generationId()).isEqualTo(1);
        assertThat(coordinator.sent(ApiMessageType.HEARTBEAT)).isEmpty();
    }

    private static final class NoOpListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }
}
