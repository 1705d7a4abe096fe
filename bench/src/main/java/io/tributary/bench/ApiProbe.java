package io.tributary.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Asks a broker which APIs it serves (ApiVersions v0 over a plain socket), so a benchmark can
 * skip a broker that lacks, say, the group APIs with a clear message instead of hanging in a
 * client retry loop. Stateless; called from the benchmark main thread.
 */
final class ApiProbe {
    static final short PRODUCE = 0;
    static final short FETCH = 1;
    static final short LIST_OFFSETS = 2;
    static final short METADATA = 3;
    static final short OFFSET_COMMIT = 8;
    static final short OFFSET_FETCH = 9;
    static final short FIND_COORDINATOR = 10;
    static final short JOIN_GROUP = 11;
    static final short HEARTBEAT = 12;
    static final short LEAVE_GROUP = 13;
    static final short SYNC_GROUP = 14;
    static final short INIT_PRODUCER_ID = 22;
    static final short CREATE_TOPICS = 19;

    private static final short API_VERSIONS = 18;

    private ApiProbe() {}

    /** api key → {min, max} version the broker advertises. */
    static Map<Short, short[]> apiVersions(String bootstrapServers) throws IOException {
        String first = bootstrapServers.split(",")[0];
        int colon = first.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                    5_000);
            socket.setSoTimeout(5_000);
            byte[] clientId = "tributary-bench-probe".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            // request header v1 (api key, version, correlation id, client id); v0 body is empty
            out.writeInt(2 + 2 + 4 + 2 + clientId.length);
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(1);
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readInt(); // frame size
            in.readInt(); // correlation id
            in.readShort(); // error code: even UNSUPPORTED_VERSION carries the list
            int count = in.readInt();
            Map<Short, short[]> versions = new HashMap<>();
            for (int i = 0; i < count; i++) {
                short key = in.readShort();
                versions.put(key, new short[] {in.readShort(), in.readShort()});
            }
            return versions;
        }
    }

    /** Null when every key is served, else a message naming the missing ones. */
    static String missing(BrokerUnderTest broker, short... keys) {
        Map<Short, short[]> versions;
        try {
            versions = apiVersions(broker.bootstrapServers());
        } catch (IOException e) {
            return "ApiVersions probe failed: " + e;
        }
        StringBuilder missing = new StringBuilder();
        for (short key : keys) {
            if (!versions.containsKey(key)) {
                missing.append(missing.length() == 0 ? "" : ", ").append(name(key));
            }
        }
        return missing.length() == 0 ? null : "broker does not serve " + missing;
    }

    private static String name(short key) {
        return switch (key) {
            case PRODUCE -> "Produce";
            case FETCH -> "Fetch";
            case LIST_OFFSETS -> "ListOffsets";
            case METADATA -> "Metadata";
            case OFFSET_COMMIT -> "OffsetCommit";
            case OFFSET_FETCH -> "OffsetFetch";
            case FIND_COORDINATOR -> "FindCoordinator";
            case JOIN_GROUP -> "JoinGroup";
            case HEARTBEAT -> "Heartbeat";
            case LEAVE_GROUP -> "LeaveGroup";
            case SYNC_GROUP -> "SyncGroup";
            case INIT_PRODUCER_ID -> "InitProducerId";
            case CREATE_TOPICS -> "CreateTopics";
            default -> "api " + key;
        };
    }
}
