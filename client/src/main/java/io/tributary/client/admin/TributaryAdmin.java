package io.tributary.client.admin;

import io.tributary.client.admin.internals.AdminRuntime;
import io.tributary.client.admin.internals.ConfigCalls;
import io.tributary.client.admin.internals.GroupCalls;
import io.tributary.client.admin.internals.OffsetCalls;
import io.tributary.client.admin.internals.ScramCalls;
import io.tributary.client.admin.internals.TopicCalls;
import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.Node;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.config.ConfigResource;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.BootstrapServers;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.NetworkClient;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our {@link Admin} (issue 12, item 2), Kafka's {@code KafkaAdminClient} in shape: one I/O thread
 * ({@link AdminRuntime}) over the network client, metadata cache and security the consumer and
 * producer use. Metadata calls go to the least-loaded broker, group calls to the group's
 * coordinator (FindCoordinator), listOffsets and deleteRecords to each partition's leader.
 */
public final class TributaryAdmin extends AdminClient {
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger(1);

    private final AdminRuntime runtime;
    private final TopicCalls topics;
    private final ConfigCalls configs;
    private final GroupCalls groups;
    private final OffsetCalls offsets;
    private final ScramCalls scram;
    private final int defaultApiTimeoutMs;

    private TributaryAdmin(AdminClientConfig config) {
        String clientId = config.getString(AdminClientConfig.CLIENT_ID_CONFIG);
        if (clientId.isEmpty()) {
            clientId = "adminclient-" + CLIENT_IDS.getAndIncrement();
        }
        int requestTimeoutMs = config.getInt(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG);
        this.defaultApiTimeoutMs = config.getInt(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        NetworkClient client = new NetworkClient(
                BootstrapServers.parse(config.getList(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)),
                clientId,
                config.getInt(AdminClientConfig.SEND_BUFFER_CONFIG),
                config.getInt(AdminClientConfig.RECEIVE_BUFFER_CONFIG),
                requestTimeoutMs,
                config.getLong(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG),
                config.getLong(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG),
                config.channelSecurity());
        MetadataManager metadata = new MetadataManager(
                client,
                config.getLong(AdminClientConfig.METADATA_MAX_AGE_CONFIG),
                config.getLong(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG),
                false);
        this.runtime = new AdminRuntime(
                client,
                metadata,
                clientId,
                config.getLong(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getLong(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
                config.getInt(AdminClientConfig.RETRIES_CONFIG));
        this.topics = new TopicCalls(runtime, requestTimeoutMs);
        this.configs = new ConfigCalls(runtime);
        this.groups = new GroupCalls(runtime);
        this.offsets = new OffsetCalls(runtime, requestTimeoutMs);
        this.scram = new ScramCalls(runtime);
        runtime.start();
    }

    public static TributaryAdmin create(Properties props) {
        return new TributaryAdmin(new AdminClientConfig(props));
    }

    public static TributaryAdmin create(Map<String, Object> conf) {
        return new TributaryAdmin(new AdminClientConfig(conf));
    }

    private long deadline(AbstractOptions<?> options) {
        Integer t = options.timeoutMs();
        return System.currentTimeMillis() + (t != null ? t : defaultApiTimeoutMs);
    }

    private static <K, V> Map<K, KafkaFuture<V>> wrap(Map<K, CompletableFuture<V>> futures) {
        Map<K, KafkaFuture<V>> out = new LinkedHashMap<>();
        futures.forEach((k, f) -> out.put(k, KafkaFuture.wrap(f)));
        return out;
    }

    @Override
    public CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options) {
        return new CreateTopicsResult(
                wrap(topics.createTopics(newTopics, options.shouldValidateOnly(), deadline(options))));
    }

    @Override
    public DeleteTopicsResult deleteTopics(Collection<String> names, DeleteTopicsOptions options) {
        return new DeleteTopicsResult(wrap(topics.deleteTopics(names, deadline(options))));
    }

    @Override
    public ListTopicsResult listTopics(ListTopicsOptions options) {
        return new ListTopicsResult(
                KafkaFuture.wrap(topics.listTopics(options.shouldListInternal(), deadline(options))));
    }

    @Override
    public DescribeTopicsResult describeTopics(Collection<String> topicNames, DescribeTopicsOptions options) {
        return new DescribeTopicsResult(wrap(topics.describeTopics(topicNames, deadline(options))));
    }

    @Override
    public CreatePartitionsResult createPartitions(
            Map<String, NewPartitions> newPartitions, CreatePartitionsOptions options) {
        return new CreatePartitionsResult(
                wrap(topics.createPartitions(newPartitions, options.shouldValidateOnly(), deadline(options))));
    }

    @Override
    public DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources, DescribeConfigsOptions options) {
        return new DescribeConfigsResult(wrap(configs.describeConfigs(
                resources, options.includeSynonyms(), options.includeDocumentation(), deadline(options))));
    }

    @Override
    public AlterConfigsResult incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> alterations, AlterConfigsOptions options) {
        return new AlterConfigsResult(
                wrap(configs.incrementalAlterConfigs(alterations, options.shouldValidateOnly(), deadline(options))));
    }

    @Override
    public ListConsumerGroupsResult listConsumerGroups(ListConsumerGroupsOptions options) {
        return new ListConsumerGroupsResult(
                KafkaFuture.wrap(groups.listConsumerGroups(options.groupStates(), options.types(), deadline(options))));
    }

    @Override
    public DescribeConsumerGroupsResult describeConsumerGroups(
            Collection<String> groupIds, DescribeConsumerGroupsOptions options) {
        return new DescribeConsumerGroupsResult(wrap(groups.describeConsumerGroups(groupIds, deadline(options))));
    }

    @Override
    public DeleteConsumerGroupsResult deleteConsumerGroups(
            Collection<String> groupIds, DeleteConsumerGroupsOptions options) {
        return new DeleteConsumerGroupsResult(wrap(groups.deleteConsumerGroups(groupIds, deadline(options))));
    }

    @Override
    public ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
            String groupId, ListConsumerGroupOffsetsOptions options) {
        return listConsumerGroupOffsets(Map.of(groupId, new ListConsumerGroupOffsetsSpec()), options);
    }

    @Override
    public ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
            Map<String, ListConsumerGroupOffsetsSpec> groupSpecs, ListConsumerGroupOffsetsOptions options) {
        long deadline = deadline(options);
        Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> out = new LinkedHashMap<>();
        groupSpecs.forEach((g, spec) -> out.put(
                g,
                KafkaFuture.wrap(offsets.listConsumerGroupOffsets(
                        g, spec.topicPartitions(), options.requireStable(), deadline))));
        return new ListConsumerGroupOffsetsResult(out);
    }

    @Override
    public AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(
            String groupId,
            Map<TopicPartition, OffsetAndMetadata> offsetsToSet,
            AlterConsumerGroupOffsetsOptions options) {
        return new AlterConsumerGroupOffsetsResult(KafkaFuture.completedFuture(
                wrap(offsets.alterConsumerGroupOffsets(groupId, offsetsToSet, deadline(options)))));
    }

    @Override
    public DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(
            String groupId, Set<TopicPartition> partitions, DeleteConsumerGroupOffsetsOptions options) {
        return new DeleteConsumerGroupOffsetsResult(KafkaFuture.completedFuture(
                wrap(offsets.deleteConsumerGroupOffsets(groupId, partitions, deadline(options)))));
    }

    @Override
    public ListOffsetsResult listOffsets(
            Map<TopicPartition, OffsetSpec> topicPartitionOffsets, ListOffsetsOptions options) {
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        topicPartitionOffsets.forEach((tp, spec) -> timestamps.put(tp, spec.wireTimestamp()));
        return new ListOffsetsResult(
                wrap(offsets.listOffsets(timestamps, options.isolationLevel().id(), deadline(options))));
    }

    @Override
    public DescribeClusterResult describeCluster(DescribeClusterOptions options) {
        CompletableFuture<TopicCalls.ClusterDescription> d = topics.describeCluster(deadline(options));
        return new DescribeClusterResult(
                KafkaFuture.wrap(d.thenApply(c -> (Collection<Node>) c.nodes())),
                KafkaFuture.wrap(d.thenApply(TopicCalls.ClusterDescription::controller)),
                KafkaFuture.wrap(d.thenApply(TopicCalls.ClusterDescription::clusterId)));
    }

    @Override
    public DeleteRecordsResult deleteRecords(
            Map<TopicPartition, RecordsToDelete> recordsToDelete, DeleteRecordsOptions options) {
        Map<TopicPartition, Long> before = new HashMap<>();
        recordsToDelete.forEach((tp, r) -> before.put(tp, r.beforeOffset()));
        return new DeleteRecordsResult(wrap(offsets.deleteRecords(before, deadline(options))));
    }

    @Override
    public DescribeUserScramCredentialsResult describeUserScramCredentials(
            List<String> users, DescribeUserScramCredentialsOptions options) {
        return new DescribeUserScramCredentialsResult(scram.describe(users, deadline(options)));
    }

    @Override
    public AlterUserScramCredentialsResult alterUserScramCredentials(
            List<UserScramCredentialAlteration> alterations, AlterUserScramCredentialsOptions options) {
        return new AlterUserScramCredentialsResult(wrap(scram.alter(alterations, deadline(options))));
    }

    @Override
    public void close(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("The timeout cannot be negative.");
        }
        long now = System.currentTimeMillis();
        long ms = timeout.toMillis();
        runtime.initiateClose(ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms);
        try {
            runtime.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
