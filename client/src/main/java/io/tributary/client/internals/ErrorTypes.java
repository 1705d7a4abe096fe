package io.tributary.client.internals;

import io.tributary.client.common.InvalidRecordException;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.ClusterAuthorizationException;
import io.tributary.client.common.errors.CorruptRecordException;
import io.tributary.client.common.errors.GroupIdNotFoundException;
import io.tributary.client.common.errors.GroupNotEmptyException;
import io.tributary.client.common.errors.GroupSubscribedToTopicException;
import io.tributary.client.common.errors.InvalidConfigurationException;
import io.tributary.client.common.errors.InvalidPartitionsException;
import io.tributary.client.common.errors.InvalidReplicaAssignmentException;
import io.tributary.client.common.errors.InvalidReplicationFactorException;
import io.tributary.client.common.errors.InvalidRequestException;
import io.tributary.client.common.errors.InvalidRequiredAcksException;
import io.tributary.client.common.errors.InvalidTimestampException;
import io.tributary.client.common.errors.InvalidTopicException;
import io.tributary.client.common.errors.KafkaStorageException;
import io.tributary.client.common.errors.NotEnoughReplicasAfterAppendException;
import io.tributary.client.common.errors.NotEnoughReplicasException;
import io.tributary.client.common.errors.NotLeaderOrFollowerException;
import io.tributary.client.common.errors.OffsetOutOfRangeException;
import io.tributary.client.common.errors.OutOfOrderSequenceException;
import io.tributary.client.common.errors.PolicyViolationException;
import io.tributary.client.common.errors.RecordBatchTooLargeException;
import io.tributary.client.common.errors.TopicAuthorizationException;
import io.tributary.client.common.errors.TopicDeletionDisabledException;
import io.tributary.client.common.errors.TopicExistsException;
import io.tributary.client.common.errors.UnknownMemberIdException;
import io.tributary.client.common.errors.UnknownProducerIdException;
import io.tributary.client.common.errors.UnknownServerException;
import io.tributary.client.common.errors.UnknownTopicIdException;
import io.tributary.client.common.errors.UnknownTopicOrPartitionException;
import io.tributary.client.common.errors.UnsupportedVersionException;
import io.tributary.protocol.Errors;

/**
 * The one table from a broker error code to Kafka's exception type for it, shared by the admin client and the
 * producer, so an application's {@code catch (InvalidRecordException e)} works whichever client raised it. Codes
 * without a specific type stay {@link ApiException}, which still carries the code ({@link ApiException#error()}).
 * Types whose meaning depends on the client's state (fencing, transactions, group membership) are chosen where that
 * state is known, not here. Stateless.
 */
public final class ErrorTypes {
    private ErrorTypes() {}

    /** @param context what failed, naming the entity, e.g. "Topic 'orders'" or "Produce to orders-3" */
    public static ApiException forError(Errors error, String context) {
        return switch (error) {
            case TOPIC_ALREADY_EXISTS -> new TopicExistsException(context);
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(context);
            case UNKNOWN_TOPIC_ID -> new UnknownTopicIdException(context);
            case INVALID_TOPIC_EXCEPTION -> new InvalidTopicException(context);
            case INVALID_PARTITIONS -> new InvalidPartitionsException(context);
            case INVALID_REPLICATION_FACTOR -> new InvalidReplicationFactorException(context);
            case INVALID_REPLICA_ASSIGNMENT -> new InvalidReplicaAssignmentException(context);
            case INVALID_CONFIG -> new InvalidConfigurationException(context);
            case INVALID_REQUEST -> new InvalidRequestException(context);
            case POLICY_VIOLATION -> new PolicyViolationException(context);
            case TOPIC_AUTHORIZATION_FAILED -> new TopicAuthorizationException(context);
            case CLUSTER_AUTHORIZATION_FAILED -> new ClusterAuthorizationException(context);
            case TOPIC_DELETION_DISABLED -> new TopicDeletionDisabledException(context);
            case NON_EMPTY_GROUP -> new GroupNotEmptyException(context);
            case GROUP_ID_NOT_FOUND -> new GroupIdNotFoundException(context);
            case GROUP_SUBSCRIBED_TO_TOPIC -> new GroupSubscribedToTopicException(context);
            case UNKNOWN_MEMBER_ID -> new UnknownMemberIdException(context);
            case OFFSET_OUT_OF_RANGE -> new OffsetOutOfRangeException(context);
            case UNSUPPORTED_VERSION -> new UnsupportedVersionException(context);
            case UNKNOWN_SERVER_ERROR -> new UnknownServerException(context);
            case INVALID_RECORD -> new InvalidRecordException(context);
            case KAFKA_STORAGE_ERROR -> new KafkaStorageException(context);
            case CORRUPT_MESSAGE -> new CorruptRecordException(context);
            case NOT_ENOUGH_REPLICAS -> new NotEnoughReplicasException(context);
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND -> new NotEnoughReplicasAfterAppendException(context);
            case OUT_OF_ORDER_SEQUENCE_NUMBER -> new OutOfOrderSequenceException(context);
            case UNKNOWN_PRODUCER_ID -> new UnknownProducerIdException(context);
            case INVALID_TIMESTAMP -> new InvalidTimestampException(context);
            case INVALID_REQUIRED_ACKS -> new InvalidRequiredAcksException(context);
            case NOT_LEADER_OR_FOLLOWER -> new NotLeaderOrFollowerException(context);
            case RECORD_LIST_TOO_LARGE -> new RecordBatchTooLargeException(context);
            default -> new ApiException(error, context);
        };
    }
}
