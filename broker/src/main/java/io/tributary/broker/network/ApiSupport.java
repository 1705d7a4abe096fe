package io.tributary.broker.network;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.message.*;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Static facts about the APIs this broker knows: the "classic" ranges it advertises (from
 * PROTOCOL-COMPAT.md), the lowest version it really serves, where flexible versions start (from
 * the message specifications) and how to create an empty request body. Immutable.
 */
public final class ApiSupport {
    /**
     * One API. {@code servedMin} may exceed {@code advertisedMin}: Produce advertises 0 because
     * librdkafka requires it, but v0-2 get their connection closed, as Apache does.
     */
    public record Api(
            short key,
            String name,
            short advertisedMin,
            short advertisedMax,
            short servedMin,
            short flexibleFrom,
            Supplier<ApiMessage> newRequest) {
        public boolean isFlexible(short version) {
            return flexibleFrom >= 0 && version >= flexibleFrom;
        }

        public boolean isServed(short version) {
            return version >= servedMin && version <= advertisedMax;
        }
    }

    public static final short PRODUCE = 0;
    public static final short FETCH = 1;
    public static final short LIST_OFFSETS = 2;
    public static final short METADATA = 3;
    public static final short OFFSET_COMMIT = 8;
    public static final short OFFSET_FETCH = 9;
    public static final short FIND_COORDINATOR = 10;
    public static final short JOIN_GROUP = 11;
    public static final short HEARTBEAT = 12;
    public static final short LEAVE_GROUP = 13;
    public static final short SYNC_GROUP = 14;
    public static final short DESCRIBE_GROUPS = 15;
    public static final short LIST_GROUPS = 16;
    public static final short SASL_HANDSHAKE = 17;
    public static final short API_VERSIONS = 18;
    public static final short CREATE_TOPICS = 19;
    public static final short DELETE_TOPICS = 20;
    public static final short INIT_PRODUCER_ID = 22;
    public static final short DESCRIBE_CONFIGS = 32;
    public static final short SASL_AUTHENTICATE = 36;
    public static final short CREATE_PARTITIONS = 37;
    public static final short DELETE_GROUPS = 42;
    public static final short INCREMENTAL_ALTER_CONFIGS = 44;
    public static final short OFFSET_DELETE = 47;
    public static final short DESCRIBE_CLUSTER = 60;

    private static final Map<Short, Api> APIS = new TreeMap<>();

    static {
        api(PRODUCE, "Produce", 0, 7, 3, 9, ProduceRequestData::new);
        api(FETCH, "Fetch", 4, 11, 4, 12, FetchRequestData::new);
        api(LIST_OFFSETS, "ListOffsets", 1, 2, 1, 6, ListOffsetsRequestData::new);
        api(METADATA, "Metadata", 0, 4, 0, 9, MetadataRequestData::new);
        api(OFFSET_COMMIT, "OffsetCommit", 2, 7, 2, 8, OffsetCommitRequestData::new);
        api(OFFSET_FETCH, "OffsetFetch", 1, 7, 1, 6, OffsetFetchRequestData::new);
        api(FIND_COORDINATOR, "FindCoordinator", 0, 2, 0, 3, FindCoordinatorRequestData::new);
        api(JOIN_GROUP, "JoinGroup", 0, 5, 0, 6, JoinGroupRequestData::new);
        api(HEARTBEAT, "Heartbeat", 0, 3, 0, 4, HeartbeatRequestData::new);
        api(LEAVE_GROUP, "LeaveGroup", 0, 1, 0, 4, LeaveGroupRequestData::new);
        api(SYNC_GROUP, "SyncGroup", 0, 3, 0, 4, SyncGroupRequestData::new);
        api(DESCRIBE_GROUPS, "DescribeGroups", 0, 4, 0, 5, DescribeGroupsRequestData::new);
        api(LIST_GROUPS, "ListGroups", 0, 4, 0, 3, ListGroupsRequestData::new);
        api(SASL_HANDSHAKE, "SaslHandshake", 0, 1, 0, -1, SaslHandshakeRequestData::new);
        api(API_VERSIONS, "ApiVersions", 0, 4, 0, 3, ApiVersionsRequestData::new);
        api(CREATE_TOPICS, "CreateTopics", 2, 4, 2, 5, CreateTopicsRequestData::new);
        api(DELETE_TOPICS, "DeleteTopics", 1, 1, 1, 4, DeleteTopicsRequestData::new);
        api(INIT_PRODUCER_ID, "InitProducerId", 0, 4, 0, 2, InitProducerIdRequestData::new);
        api(DESCRIBE_CONFIGS, "DescribeConfigs", 1, 1, 1, 4, DescribeConfigsRequestData::new);
        api(SASL_AUTHENTICATE, "SaslAuthenticate", 0, 1, 0, 2, SaslAuthenticateRequestData::new);
        api(CREATE_PARTITIONS, "CreatePartitions", 0, 0, 0, 2, CreatePartitionsRequestData::new);
        api(DELETE_GROUPS, "DeleteGroups", 0, 1, 0, 2, DeleteGroupsRequestData::new);
        api(INCREMENTAL_ALTER_CONFIGS, "IncrementalAlterConfigs", 0, 0, 0, 1, IncrementalAlterConfigsRequestData::new);
        api(OFFSET_DELETE, "OffsetDelete", 0, 0, 0, -1, OffsetDeleteRequestData::new);
        // Not in the classic table (clients fall back to Metadata); served if asked, never advertised.
        api(DESCRIBE_CLUSTER, "DescribeCluster", 0, 1, 0, 0, DescribeClusterRequestData::new);
    }

    /** APIs that are served but deliberately left out of the ApiVersions answer. */
    public static final java.util.Set<Short> NOT_ADVERTISED = java.util.Set.of(DESCRIBE_CLUSTER);

    private ApiSupport() {}

    private static void api(
            short key, String name, int advMin, int advMax, int servedMin, int flexFrom, Supplier<ApiMessage> factory) {
        APIS.put(key, new Api(key, name, (short) advMin, (short) advMax, (short) servedMin, (short) flexFrom, factory));
    }

    public static Api api(short key) {
        return APIS.get(key);
    }

    public static Map<Short, Api> all() {
        return Collections.unmodifiableMap(APIS);
    }

    /** Response header v1 for flexible versions, except ApiVersions which always uses v0. */
    public static boolean responseHeaderFlexible(short key, short version) {
        if (key == API_VERSIONS) {
            return false;
        }
        Api api = APIS.get(key);
        return api != null && api.isFlexible(version);
    }

    public static String name(short key) {
        Api api = APIS.get(key);
        return api == null ? "api" + key : api.name();
    }
}
