package io.tributary.broker.network;

import io.tributary.protocol.message.ApiMessageType;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * This broker's version policy, and nothing else: for each API it knows, the range it advertises
 * (floors from PROTOCOL-COMPAT.md for librdkafka, ceilings the newest Apache kafka-clients uses
 * where implemented; see docs/design), the lowest version it really serves, and whether it is
 * left out of ApiVersions. Keys, names, flexible versions and body factories are the generated
 * {@link ApiMessageType}'s. Immutable.
 */
public final class ApiSupport {
    /**
     * One API's policy. {@code servedMin} may exceed {@code advertisedMin}: Produce advertises 0
     * because librdkafka requires it, but v0-2 get their connection closed, as Apache does.
     */
    public record Api(
            ApiMessageType type, short advertisedMin, short advertisedMax, short servedMin, boolean advertised) {
        public short key() {
            return type.apiKey();
        }

        public String name() {
            return type.apiName();
        }

        /** Request header v2 and a tagged-field body, from the message specification. */
        public boolean isFlexible(short version) {
            return type.requestHeaderVersion(version) >= 2;
        }

        public boolean isServed(short version) {
            return version >= servedMin && version <= advertisedMax;
        }
    }

    private static final Map<Short, Api> APIS = new TreeMap<>();

    static {
        served(ApiMessageType.PRODUCE, 0, 13, 3);
        served(ApiMessageType.FETCH, 4, 18, 4);
        served(ApiMessageType.LIST_OFFSETS, 1, 11, 1);
        served(ApiMessageType.METADATA, 0, 13, 0);
        served(ApiMessageType.OFFSET_COMMIT, 2, 10, 2);
        served(ApiMessageType.OFFSET_FETCH, 1, 10, 1);
        served(ApiMessageType.FIND_COORDINATOR, 0, 4, 0);
        served(ApiMessageType.JOIN_GROUP, 0, 9, 0);
        served(ApiMessageType.HEARTBEAT, 0, 4, 0);
        served(ApiMessageType.LEAVE_GROUP, 0, 5, 0);
        served(ApiMessageType.SYNC_GROUP, 0, 5, 0);
        served(ApiMessageType.DESCRIBE_GROUPS, 0, 6, 0);
        served(ApiMessageType.LIST_GROUPS, 0, 5, 0);
        served(ApiMessageType.SASL_HANDSHAKE, 0, 1, 0);
        served(ApiMessageType.API_VERSIONS, 0, 4, 0);
        served(ApiMessageType.CREATE_TOPICS, 2, 7, 2);
        served(ApiMessageType.DELETE_TOPICS, 1, 6, 1);
        served(ApiMessageType.INIT_PRODUCER_ID, 0, 4, 0);
        served(ApiMessageType.DESCRIBE_CONFIGS, 1, 4, 1);
        served(ApiMessageType.SASL_AUTHENTICATE, 0, 2, 0);
        served(ApiMessageType.CREATE_PARTITIONS, 0, 3, 0);
        served(ApiMessageType.DELETE_GROUPS, 0, 2, 0);
        served(ApiMessageType.INCREMENTAL_ALTER_CONFIGS, 0, 1, 0);
        served(ApiMessageType.ALTER_CONFIGS, 0, 2, 0);
        served(ApiMessageType.DESCRIBE_LOG_DIRS, 1, 4, 1);
        served(ApiMessageType.OFFSET_DELETE, 0, 0, 0);
        // v5 is what kafka-clients 4.x sends with transaction version 2; v0-4 otherwise.
        served(ApiMessageType.TXN_OFFSET_COMMIT, 0, 5, 0);
        served(ApiMessageType.DELETE_RECORDS, 0, 2, 0);
        served(ApiMessageType.OFFSET_FOR_LEADER_EPOCH, 2, 4, 2);
        served(ApiMessageType.DESCRIBE_PRODUCERS, 0, 0, 0);
        // Served by the security extension (Kafka 4 ranges).
        served(ApiMessageType.DESCRIBE_ACLS, 1, 3, 1);
        served(ApiMessageType.CREATE_ACLS, 1, 3, 1);
        served(ApiMessageType.DELETE_ACLS, 1, 3, 1);
        served(ApiMessageType.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0, 0);
        served(ApiMessageType.ALTER_USER_SCRAM_CREDENTIALS, 0, 0, 0);
        // Apache's admin describes the cluster with it (it falls back to Metadata without it).
        served(ApiMessageType.DESCRIBE_CLUSTER, 0, 2, 0);
        // Served by the transaction coordinator extension (issue 11), transaction version 1:
        // AddPartitionsToTxn v4+ is Kafka's broker-to-coordinator form and EndTxn v5 is KIP-890 part 2.
        served(ApiMessageType.ADD_PARTITIONS_TO_TXN, 0, 3, 0);
        served(ApiMessageType.ADD_OFFSETS_TO_TXN, 0, 4, 0);
        served(ApiMessageType.END_TXN, 0, 4, 0);
        served(ApiMessageType.DESCRIBE_TRANSACTIONS, 0, 0, 0);
        served(ApiMessageType.LIST_TRANSACTIONS, 0, 2, 0);
        served(ApiMessageType.WRITE_TXN_MARKERS, 1, 1, 1);
        // KIP-848 consumer groups (issue 14); v1 is KIP-1082 (the client names itself), what 4.x sends.
        served(ApiMessageType.CONSUMER_GROUP_HEARTBEAT, 0, 1, 0);
        served(ApiMessageType.CONSUMER_GROUP_DESCRIBE, 0, 1, 0);
    }

    private ApiSupport() {}

    private static void served(ApiMessageType type, int advertisedMin, int advertisedMax, int servedMin) {
        put(new Api(type, (short) advertisedMin, (short) advertisedMax, (short) servedMin, true));
    }

    private static void put(Api api) {
        APIS.put(api.key(), api);
    }

    /** The policy for a key, or null when this broker has none (unknown or never served). */
    public static Api api(short key) {
        return APIS.get(key);
    }

    public static Api api(ApiMessageType type) {
        return APIS.get(type.apiKey());
    }

    /** Every API with a policy, ordered by API key. */
    public static Collection<Api> all() {
        return Collections.unmodifiableCollection(APIS.values());
    }
}
