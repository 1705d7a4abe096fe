package io.tributary.broker.group;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.extension.BrokerExtension;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicPartition;
import io.tributary.coordinator.GroupCoordinator;
import io.tributary.coordinator.GroupCoordinatorConfig;
import io.tributary.protocol.message.ApiMessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker a group coordinator (passed to {@code TributaryBroker.start} by BrokerMain, the
 * cli and testkit; a broker started without it serves no group APIs): opens
 * the coordinator's private log in the data directory, builds {@link GroupCoordinatorConfig} from
 * the broker's group.* / offset* keys, replays the log before the listener opens (so no request
 * ever sees a half-loaded state and COORDINATOR_LOAD_IN_PROGRESS is never needed), registers the
 * group APIs (TxnOffsetCommit included; ConsumerGroupHeartbeat and ConsumerGroupDescribe when group.coordinator.rebalance.protocols has "consumer") and wraps DeleteTopics so deleted topics lose their committed offsets.
 * {@link #close()} stops the coordinator (waiting requests get NOT_COORDINATOR) and then closes
 * the log. Installed and closed by the thread that starts and stops the broker.
 */
public final class GroupCoordinatorExtension implements BrokerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorExtension.class);
    /** Our own key (not Kafka's): see {@link GroupCoordinatorConfig#COORDINATOR_SNAPSHOT_MIN_RECORDS}. */
    public static final String SNAPSHOT_MIN_RECORDS = GroupCoordinatorConfig.COORDINATOR_SNAPSHOT_MIN_RECORDS;

    private static final List<String> KEYS = List.of(
            BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS,
            BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS,
            BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS,
            BrokerConfig.GROUP_MAX_SIZE,
            BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS,
            BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
            BrokerConfig.GROUP_CONSUMER_MAX_SIZE,
            BrokerConfig.GROUP_CONSUMER_ASSIGNORS,
            BrokerConfig.GROUP_CONSUMER_MIGRATION_POLICY,
            BrokerConfig.OFFSETS_RETENTION_MINUTES,
            BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS,
            BrokerConfig.OFFSET_METADATA_MAX_BYTES);
    private static final long LOAD_TIMEOUT_MS = 300_000;
    private static final int MIN_SEGMENT_BYTES = 1 << 20;

    private StorageCoordinatorLog log;
    private GroupCoordinator coordinator;

    /** The group settings of a broker configuration (Kafka's keys and defaults). */
    public static GroupCoordinatorConfig coordinatorConfig(BrokerConfig config) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : KEYS) {
            props.put(key, config.valueString(key));
        }
        props.put(SNAPSHOT_MIN_RECORDS, config.valueString(SNAPSHOT_MIN_RECORDS));
        return GroupCoordinatorConfig.fromProperties(props);
    }

    @Override
    public void install(BrokerContext broker) {
        BrokerConfig config = broker.config();
        GroupCoordinatorConfig groupConfig = coordinatorConfig(config);
        Path dir = broker.dataDir().resolve(StorageCoordinatorLog.DIR_NAME);
        try {
            // A tiny segment would refuse big batches (snapshots) and stall the coordinator.
            int segmentBytes = Math.max(MIN_SEGMENT_BYTES, config.getInt(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES));
            log = StorageCoordinatorLog.open(dir, segmentBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the group coordinator log in " + dir, e);
        }
        coordinator = GroupCoordinator.withOwnThread(groupConfig, log);
        coordinator.setTopicMetadata(new BrokerTopicMetadata(broker.topics()));
        coordinator.setEndOffsets((topic, partition) -> {
            // The lag-aware assignor's (X6) end offsets: what kafka-consumer-groups calls LOG-END-OFFSET.
            PartitionLog partitionLog = broker.topics().log(new TopicPartition(topic, partition));
            return partitionLog == null ? -1 : partitionLog.logEndOffset();
        });
        try {
            coordinator.start().get(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the group coordinator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot load the group coordinator state from " + dir, e);
        }
        register(broker, coordinator);
        LOG.info(
                "Group coordinator ready (log {}, session timeout {}-{} ms, initial rebalance delay {} ms)",
                dir,
                groupConfig.minSessionTimeoutMs(),
                groupConfig.maxSessionTimeoutMs(),
                groupConfig.initialRebalanceDelayMs());
    }

    private static void register(BrokerContext broker, GroupCoordinator c) {
        ApiRegistry apis = broker.apis();
        KnownPartitions known = new KnownPartitions(broker.topics());
        // Read per request: the security extension installs the authorizer after this one registers.
        Supplier<RequestAuthorizer> auth = broker::authorizer;
        apis.register(
                ApiMessageType.FIND_COORDINATOR, GroupAcls.findCoordinator(auth, new FindCoordinatorHandler(broker)));
        apis.register(ApiMessageType.JOIN_GROUP, GroupAcls.joinGroup(auth, new CoordinatorApiHandler<>(c::joinGroup)));
        apis.register(ApiMessageType.SYNC_GROUP, GroupAcls.syncGroup(auth, new CoordinatorApiHandler<>(c::syncGroup)));
        apis.register(ApiMessageType.HEARTBEAT, GroupAcls.heartbeat(auth, new CoordinatorApiHandler<>(c::heartbeat)));
        apis.register(
                ApiMessageType.LEAVE_GROUP, GroupAcls.leaveGroup(auth, new CoordinatorApiHandler<>(c::leaveGroup)));
        apis.register(ApiMessageType.OFFSET_COMMIT, new OffsetCommitHandler(auth, known, c));
        apis.register(ApiMessageType.OFFSET_FETCH, new OffsetFetchHandler(auth, known, c));
        apis.register(
                ApiMessageType.DESCRIBE_GROUPS,
                GroupAcls.describeGroups(auth, new CoordinatorApiHandler<>(c::describeGroups)));
        apis.register(
                ApiMessageType.LIST_GROUPS, GroupAcls.listGroups(auth, new CoordinatorApiHandler<>(c::listGroups)));
        apis.register(
                ApiMessageType.DELETE_GROUPS,
                GroupAcls.deleteGroups(auth, new CoordinatorApiHandler<>(c::deleteGroups)));
        apis.register(ApiMessageType.OFFSET_DELETE, new OffsetDeleteHandler(auth, known, c));
        if (servesConsumerProtocol(broker.config())) {
            apis.register(
                    ApiMessageType.CONSUMER_GROUP_HEARTBEAT,
                    ConsumerGroupAcls.heartbeat(auth, new CoordinatorApiHandler<>(c::consumerGroupHeartbeat)));
            apis.register(
                    ApiMessageType.CONSUMER_GROUP_DESCRIBE,
                    ConsumerGroupAcls.describe(auth, new CoordinatorApiHandler<>(c::consumerGroupDescribe)));
        }
        apis.register(ApiMessageType.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler(auth, known, c));
        ApiHandler deleteTopics = apis.handler(ApiMessageType.DELETE_TOPICS);
        if (deleteTopics != null) {
            apis.register(ApiMessageType.DELETE_TOPICS, new DeleteTopicsOffsetsHandler(deleteTopics, c));
        }
    }

    private static boolean servesConsumerProtocol(BrokerConfig config) {
        String protocols = config.valueString(BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS);
        for (String p : (protocols == null ? "" : protocols).split(",")) {
            if (p.trim().equalsIgnoreCase("consumer")) {
                return true;
            }
        }
        return false;
    }

    /** The running coordinator (null before install). */
    public GroupCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
            coordinator = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
