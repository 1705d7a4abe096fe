package io.tributary.client.admin;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.config.ConfigResource;
import io.tributary.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Kafka's {@code Admin} interface (issue 12, item 2): topics, partitions, configs, consumer
 * groups and their offsets, log offsets, records and the cluster. Every call returns at once;
 * its result holds one {@link io.tributary.client.common.KafkaFuture} per entity, failing with
 * Kafka's exception type for that entity. Code written against Kafka's {@code Admin} ports by
 * changing imports. Thread-safe.
 */
public interface Admin extends AutoCloseable {
    static Admin create(Properties props) {
        return TributaryAdmin.create(props);
    }

    static Admin create(Map<String, Object> conf) {
        return TributaryAdmin.create(conf);
    }

    /** As Kafka: waits without a bound for pending calls to finish. */
    @Override
    default void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    /** Stops taking calls, lets pending ones finish until {@code timeout}, then fails the rest. */
    void close(Duration timeout);

    default CreateTopicsResult createTopics(Collection<NewTopic> newTopics) {
        return createTopics(newTopics, new CreateTopicsOptions());
    }

    CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options);

    default DeleteTopicsResult deleteTopics(Collection<String> topics) {
        return deleteTopics(topics, new DeleteTopicsOptions());
    }

    DeleteTopicsResult deleteTopics(Collection<String> topics, DeleteTopicsOptions options);

    default ListTopicsResult listTopics() {
        return listTopics(new ListTopicsOptions());
    }

    ListTopicsResult listTopics(ListTopicsOptions options);

    default DescribeTopicsResult describeTopics(Collection<String> topicNames) {
        return describeTopics(topicNames, new DescribeTopicsOptions());
    }

    DescribeTopicsResult describeTopics(Collection<String> topicNames, DescribeTopicsOptions options);

    default CreatePartitionsResult createPartitions(Map<String, NewPartitions> newPartitions) {
        return createPartitions(newPartitions, new CreatePartitionsOptions());
    }

    CreatePartitionsResult createPartitions(Map<String, NewPartitions> newPartitions, CreatePartitionsOptions options);

    default DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources) {
        return describeConfigs(resources, new DescribeConfigsOptions());
    }

    DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources, DescribeConfigsOptions options);

    default AlterConfigsResult incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> configs) {
        return incrementalAlterConfigs(configs, new AlterConfigsOptions());
    }

    AlterConfigsResult incrementalAlterConfigs(
            Map<ConfigResource, Collection<AlterConfigOp>> configs, AlterConfigsOptions options);

    default ListConsumerGroupsResult listConsumerGroups() {
        return listConsumerGroups(new ListConsumerGroupsOptions());
    }

    ListConsumerGroupsResult listConsumerGroups(ListConsumerGroupsOptions options);

    default DescribeConsumerGroupsResult describeConsumerGroups(Collection<String> groupIds) {
        return describeConsumerGroups(groupIds, new DescribeConsumerGroupsOptions());
    }

    DescribeConsumerGroupsResult describeConsumerGroups(
            Collection<String> groupIds, DescribeConsumerGroupsOptions options);

    default DeleteConsumerGroupsResult deleteConsumerGroups(Collection<String> groupIds) {
        return deleteConsumerGroups(groupIds, new DeleteConsumerGroupsOptions());
    }

    DeleteConsumerGroupsResult deleteConsumerGroups(Collection<String> groupIds, DeleteConsumerGroupsOptions options);

    default ListConsumerGroupOffsetsResult listConsumerGroupOffsets(String groupId) {
        return listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions());
    }

    ListConsumerGroupOffsetsResult listConsumerGroupOffsets(String groupId, ListConsumerGroupOffsetsOptions options);

    /** Several groups at once, each limited to the given partitions (null = all it committed). */
    ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
            Map<String, ListConsumerGroupOffsetsSpec> groupSpecs, ListConsumerGroupOffsetsOptions options);

    default ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
            Map<String, ListConsumerGroupOffsetsSpec> groupSpecs) {
        return listConsumerGroupOffsets(groupSpecs, new ListConsumerGroupOffsetsOptions());
    }

    default AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        return alterConsumerGroupOffsets(groupId, offsets, new AlterConsumerGroupOffsetsOptions());
    }

    AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets, AlterConsumerGroupOffsetsOptions options);

    default DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(
            String groupId, Set<TopicPartition> partitions) {
        return deleteConsumerGroupOffsets(groupId, partitions, new DeleteConsumerGroupOffsetsOptions());
    }

    DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(
            String groupId, Set<TopicPartition> partitions, DeleteConsumerGroupOffsetsOptions options);

    default ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> topicPartitionOffsets) {
        return listOffsets(topicPartitionOffsets, new ListOffsetsOptions());
    }

    ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> topicPartitionOffsets, ListOffsetsOptions options);

    default DescribeClusterResult describeCluster() {
        return describeCluster(new DescribeClusterOptions());
    }

    DescribeClusterResult describeCluster(DescribeClusterOptions options);

    default DeleteRecordsResult deleteRecords(Map<TopicPartition, RecordsToDelete> recordsToDelete) {
        return deleteRecords(recordsToDelete, new DeleteRecordsOptions());
    }

    DeleteRecordsResult deleteRecords(
            Map<TopicPartition, RecordsToDelete> recordsToDelete, DeleteRecordsOptions options);

    /** Every user with SCRAM credentials (KIP-554). */
    default DescribeUserScramCredentialsResult describeUserScramCredentials() {
        return describeUserScramCredentials(null, new DescribeUserScramCredentialsOptions());
    }

    /** @param users null or empty for every user with SCRAM credentials */
    default DescribeUserScramCredentialsResult describeUserScramCredentials(java.util.List<String> users) {
        return describeUserScramCredentials(users, new DescribeUserScramCredentialsOptions());
    }

    DescribeUserScramCredentialsResult describeUserScramCredentials(
            java.util.List<String> users, DescribeUserScramCredentialsOptions options);

    default AlterUserScramCredentialsResult alterUserScramCredentials(
            java.util.List<UserScramCredentialAlteration> alterations) {
        return alterUserScramCredentials(alterations, new AlterUserScramCredentialsOptions());
    }

    AlterUserScramCredentialsResult alterUserScramCredentials(
            java.util.List<UserScramCredentialAlteration> alterations, AlterUserScramCredentialsOptions options);
}
