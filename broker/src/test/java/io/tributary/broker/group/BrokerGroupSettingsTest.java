package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.TestConnection;
import io.tributary.broker.TributaryBroker;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.JoinGroupRequestData;
import io.tributary.protocol.message.JoinGroupResponseData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's group.* and offset* keys reach the coordinator (B2). */
class BrokerGroupSettingsTest {
    @TempDir
    Path dir;

    @Test
    void brokerKeysBecomeTheCoordinatorConfigWithKafkaDefaults() {
        GroupCoordinatorConfig defaults = GroupCoordinatorExtension.coordinatorConfig(BrokerConfig.fromMap(Map.of()));
        assertThat(defaults).isEqualTo(GroupCoordinatorConfig.defaults());
        GroupCoordinatorConfig c = GroupCoordinatorExtension.coordinatorConfig(BrokerConfig.fromMap(Map.of(
                "group.min.session.timeout.ms", "123",
                "group.max.session.timeout.ms", "4567",
                "group.initial.rebalance.delay.ms", "0",
                "group.max.size", "5",
                "offsets.retention.minutes", "2",
                "offsets.retention.check.interval.ms", "1000",
                "offset.metadata.max.bytes", "10",
                "group.coordinator.snapshot.min.records", "77")));
        assertThat(c.minSessionTimeoutMs()).isEqualTo(123);
        assertThat(c.maxSessionTimeoutMs()).isEqualTo(4567);
        assertThat(c.initialRebalanceDelayMs()).isZero();
        assertThat(c.maxGroupSize()).isEqualTo(5);
        assertThat(c.offsetsRetentionMs()).isEqualTo(120_000L);
        assertThat(c.offsetsRetentionCheckIntervalMs()).isEqualTo(1000L);
        assertThat(c.offsetMetadataMaxBytes()).isEqualTo(10);
        assertThat(c.snapshotMinRecords()).isEqualTo(77);
    }

    @Test
    void consumerProtocolKeysReachTheCoordinatorAndItsApisFollowTheProtocolList() throws Exception {
        // Issue 14 (KIP-848).
        GroupCoordinatorConfig c = GroupCoordinatorExtension.coordinatorConfig(BrokerConfig.fromMap(Map.of(
                "group.consumer.session.timeout.ms", "50000",
                "group.consumer.heartbeat.interval.ms", "6000",
                "group.consumer.max.size", "3",
                "group.consumer.assignors", "range,org.apache.kafka.coordinator.group.assignor.UniformAssignor")));
        assertThat(c.consumerSessionTimeoutMs()).isEqualTo(50_000);
        assertThat(c.consumerHeartbeatIntervalMs()).isEqualTo(6_000);
        assertThat(c.consumerMaxSize()).isEqualTo(3);
        assertThat(c.consumerAssignors()).containsExactly("range", "uniform");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("group.consumer.session.timeout.ms", "1000")))
                .hasMessageContaining("group.consumer.session.timeout.ms");
        for (String protocols : new String[] {"classic,consumer", "classic"}) {
            TributaryBroker broker = BrokerFixture.startGroups(
                    dir.resolve(protocols), 0, Map.of("group.coordinator.rebalance.protocols", protocols));
            try (TestConnection t = new TestConnection(broker.boundPort())) {
                ApiVersionsResponseData r =
                        t.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 3);
                boolean advertised = r.apiKeys.stream().anyMatch(k -> k.apiKey == 68)
                        && r.apiKeys.stream().anyMatch(k -> k.apiKey == 69);
                assertThat(advertised).as(protocols).isEqualTo(protocols.contains("consumer"));
            } finally {
                broker.close();
            }
        }
    }

    @Test
    void sessionTimeoutBoundsAndGroupSizeAreEnforcedOnTheWire() throws Exception {
        TributaryBroker broker = BrokerFixture.startGroups(
                dir,
                0,
                Map.of(
                        "group.min.session.timeout.ms",
                        "5000",
                        "group.max.session.timeout.ms",
                        "20000",
                        "group.max.size",
                        "1"));
        try (TestConnection a = new TestConnection(broker.boundPort());
                TestConnection b = new TestConnection(broker.boundPort())) {
            JoinGroupResponseData tooShort = a.roundTrip(
                    GroupWireTest.joinRequest("s").setSessionTimeoutMs(1000), new JoinGroupResponseData(), (short) 3);
            assertThat(tooShort.errorCode).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
            JoinGroupResponseData tooLong = a.roundTrip(
                    GroupWireTest.joinRequest("s").setSessionTimeoutMs(30_000), new JoinGroupResponseData(), (short) 3);
            assertThat(tooLong.errorCode).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());

            JoinGroupResponseData first =
                    a.roundTrip(GroupWireTest.joinRequest("s"), new JoinGroupResponseData(), (short) 3);
            assertThat(first.errorCode).isZero();
            JoinGroupRequestData second = GroupWireTest.joinRequest("s");
            assertThat(b.roundTrip(second, new JoinGroupResponseData(), (short) 3).errorCode)
                    .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
        } finally {
            broker.close();
        }
    }
}
