package io.tributary.client.network;

import io.tributary.protocol.message.ApiMessageType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one table of the versions this client sends, per API (the lowest it can speak and the
 * highest it sends), and the negotiation rule: the highest version both sides support. Send
 * sites never name a version; {@link NetworkClient} caps every request at {@link #clientMax}.
 * Immutable.
 */
public final class ApiVersionRanges {
    private static final Map<ApiMessageType, short[]> CLIENT = new EnumMap<>(ApiMessageType.class);

    static {
        // Fetch stays below 12 (flexible + topic IDs from 13) so it works against every broker in
        // PROTOCOL-COMPAT's classic profile; the rest stop before topic-ID-only versions.
        put(ApiMessageType.API_VERSIONS, 0, 3);
        put(ApiMessageType.METADATA, 1, 12);
        put(ApiMessageType.FETCH, 4, 11);
        put(ApiMessageType.LIST_OFFSETS, 1, 7);
        put(ApiMessageType.FIND_COORDINATOR, 0, 3);
        // v9 is what a consumer-protocol member must commit with (KIP-848); v10 names topics by id.
        put(ApiMessageType.OFFSET_COMMIT, 2, 9);
        put(ApiMessageType.OFFSET_FETCH, 1, 7);
        put(ApiMessageType.JOIN_GROUP, 0, 8);
        put(ApiMessageType.SYNC_GROUP, 0, 5);
        put(ApiMessageType.HEARTBEAT, 0, 4);
        put(ApiMessageType.LEAVE_GROUP, 0, 5);
        // group.protocol=consumer (issue 14, KIP-848); v1 is KIP-1082's client-generated member id.
        put(ApiMessageType.CONSUMER_GROUP_HEARTBEAT, 0, 1);
        // The producer (issue 12): magic v2 batches need Produce v3; v13 addresses topics by id only.
        put(ApiMessageType.PRODUCE, 3, 12);
        put(ApiMessageType.INIT_PRODUCER_ID, 0, 5);
        // Transactions as TV1 (no KIP-890 part 2): AddPartitionsToTxn v4+ is the broker-to-broker form,
        // TxnOffsetCommit from v3 carries the KIP-447 member fields, EndTxn v5 is TV2's epoch bump.
        put(ApiMessageType.ADD_PARTITIONS_TO_TXN, 0, 3);
        put(ApiMessageType.ADD_OFFSETS_TO_TXN, 0, 4);
        put(ApiMessageType.TXN_OFFSET_COMMIT, 0, 4);
        put(ApiMessageType.END_TXN, 0, 4);
        // The admin client (issue 12): versions below the topic-ID-only ones; FindCoordinator v4 batches keys.
        put(ApiMessageType.CREATE_TOPICS, 2, 7);
        put(ApiMessageType.DELETE_TOPICS, 1, 5);
        put(ApiMessageType.CREATE_PARTITIONS, 0, 3);
        put(ApiMessageType.DESCRIBE_CONFIGS, 1, 4);
        put(ApiMessageType.INCREMENTAL_ALTER_CONFIGS, 0, 1);
        put(ApiMessageType.LIST_GROUPS, 0, 5);
        put(ApiMessageType.DESCRIBE_GROUPS, 0, 6);
        put(ApiMessageType.DELETE_GROUPS, 0, 2);
        put(ApiMessageType.OFFSET_DELETE, 0, 0);
        put(ApiMessageType.CONSUMER_GROUP_DESCRIBE, 0, 1);
        put(ApiMessageType.DESCRIBE_CLUSTER, 0, 1);
        put(ApiMessageType.DELETE_RECORDS, 0, 2);
        // SCRAM users (issue 13, KIP-554): both APIs have only v0.
        put(ApiMessageType.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0);
        put(ApiMessageType.ALTER_USER_SCRAM_CREDENTIALS, 0, 0);
        // Handshake v1 hands the tokens to SaslAuthenticate (KIP-152); v0's raw token frames are not spoken.
        put(ApiMessageType.SASL_HANDSHAKE, 1, 1);
        put(ApiMessageType.SASL_AUTHENTICATE, 0, 2);
    }

    private ApiVersionRanges() {}

    private static void put(ApiMessageType api, int min, int max) {
        CLIENT.put(api, new short[] {(short) min, (short) max});
    }

    public static short clientMin(ApiMessageType api) {
        return range(api)[0];
    }

    public static short clientMax(ApiMessageType api) {
        return range(api)[1];
    }

    private static short[] range(ApiMessageType api) {
        short[] r = CLIENT.get(api);
        if (r == null) {
            throw new IllegalArgumentException("The client does not implement " + api.apiName());
        }
        return r;
    }

    /**
     * @param broker the broker's advertised [min, max] for the API, or null if not advertised
     * @param cap    the highest version the caller can use for this request (features it needs)
     * @return the version to use
     * @throws UnsupportedVersionException when the ranges do not overlap
     */
    public static short negotiate(ApiMessageType api, short[] broker, short cap) {
        if (broker == null) {
            throw new UnsupportedVersionException("The broker does not support " + api.apiName());
        }
        short max = (short) Math.min(Math.min(clientMax(api), cap), broker[1]);
        short min = (short) Math.max(clientMin(api), broker[0]);
        if (max < min) {
            throw new UnsupportedVersionException("The broker supports " + api.apiName() + " versions " + broker[0]
                    + " to " + broker[1] + ", this client " + clientMin(api) + " to " + Math.min(clientMax(api), cap));
        }
        return max;
    }
}
