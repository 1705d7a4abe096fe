package io.tributary.coordinator.record;

import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.protocol.ProtocolException;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of the coordinator's log records. Every key starts with an int16 key type and
 * every value with an int16 value version, so old logs stay readable when layouts grow:
 * <pre>
 * key type 1  offset commit   key: group, topic (int16 strings), partition int32
 *             value v0: offset int64, leader epoch int32, metadata nullable string,
 *                       commit timestamp int64, expire timestamp int64 (-1 = none)
 * key type 2  group metadata  key: group
 *             value v0: protocol type, generation int32, protocol name, leader (nullable
 *                       strings), current-state timestamp int64, members: int32 count of
 *                       { member id, instance id (nullable), client id, client host,
 *                         rebalance timeout int32, session timeout int32,
 *                         protocols: int32 count of { name, metadata bytes }, assignment bytes }
 * </pre>
 * A null value is a tombstone. Strings are int16-length UTF-8 (-1 = null); bytes int32-length.
 *
 * <p>The records are plain data: this package knows nothing of groups or offsets. The {@code
 * group} and {@code offset} packages build these values from their live state and replay them
 * back into it.
 */
public final class RecordCodec {
    public static final short OFFSET_COMMIT_KEY = 1;
    public static final short GROUP_METADATA_KEY = 2;
    private static final short VALUE_VERSION = 0;

    private RecordCodec() {}

    /** A decoded key: one of the records below. */
    public sealed interface Key permits OffsetKey, GroupKey, UnknownKey {}

    public record OffsetKey(String groupId, String topic, int partition) implements Key {}

    public record GroupKey(String groupId) implements Key {}

    /** A key written by a newer version; skipped on replay. */
    public record UnknownKey(short type) implements Key {}

    public record OffsetValue(
            long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {}

    public record MemberValue(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            List<Protocol> protocols,
            byte[] assignment) {}

    public record GroupValue(
            String protocolType,
            int generationId,
            String protocolName,
            String leaderId,
            long currentStateTimestampMs,
            List<MemberValue> members) {}

    // ---- offsets

    public static CoordinatorRecord offsetCommit(String groupId, String topic, int partition, OffsetValue v) {
        return new CoordinatorRecord(offsetKey(groupId, topic, partition), encodeOffsetValue(v));
    }

    public static CoordinatorRecord offsetTombstone(String groupId, String topic, int partition) {
        return new CoordinatorRecord(offsetKey(groupId, topic, partition), null);
    }

    private static byte[] offsetKey(String groupId, String topic, int partition) {
        ProtocolWriter w = new ProtocolWriter(8 + groupId.length() + topic.length());
        w.writeShort(OFFSET_COMMIT_KEY);
        w.writeString(groupId);
        w.writeString(topic);
        w.writeInt(partition);
        return w.toByteArray();
    }

    private static byte[] encodeOffsetValue(OffsetValue v) {
        ProtocolWriter w = new ProtocolWriter(40);
        w.writeShort(VALUE_VERSION);
        w.writeLong(v.offset());
        w.writeInt(v.leaderEpoch());
        w.writeString(v.metadata());
        w.writeLong(v.commitTimestampMs());
        w.writeLong(v.expireTimestampMs());
        return w.toByteArray();
    }

    public static OffsetValue decodeOffsetValue(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad offset value version " + version);
        }
        // Newer versions only append fields, so a v0 reader takes the prefix it knows.
        return new OffsetValue(r.readLong(), r.readInt(), r.readString(), r.readLong(), r.readLong());
    }

    // ---- groups

    public static CoordinatorRecord groupMetadata(String groupId, GroupValue v) {
        return new CoordinatorRecord(groupKey(groupId), encodeGroupValue(v));
    }

    public static CoordinatorRecord groupTombstone(String groupId) {
        return new CoordinatorRecord(groupKey(groupId), null);
    }

    private static byte[] groupKey(String groupId) {
        ProtocolWriter w = new ProtocolWriter(4 + groupId.length());
        w.writeShort(GROUP_METADATA_KEY);
        w.writeString(groupId);
        return w.toByteArray();
    }

    private static byte[] encodeGroupValue(GroupValue v) {
        ProtocolWriter w = new ProtocolWriter(128);
        w.writeShort(VALUE_VERSION);
        w.writeString(v.protocolType());
        w.writeInt(v.generationId());
        w.writeString(v.protocolName());
        w.writeString(v.leaderId());
        w.writeLong(v.currentStateTimestampMs());
        w.writeInt(v.members().size());
        for (MemberValue m : v.members()) {
            w.writeString(m.memberId());
            w.writeString(m.groupInstanceId());
            w.writeString(m.clientId());
            w.writeString(m.clientHost());
            w.writeInt(m.rebalanceTimeoutMs());
            w.writeInt(m.sessionTimeoutMs());
            w.writeInt(m.protocols().size());
            for (Protocol p : m.protocols()) {
                w.writeString(p.name());
                w.writeBytes(p.metadata());
            }
            w.writeBytes(m.assignment());
        }
        return w.toByteArray();
    }

    public static GroupValue decodeGroupValue(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad group value version " + version);
        }
        String protocolType = r.readString();
        int generation = r.readInt();
        String protocolName = r.readString();
        String leader = r.readString();
        long stateTs = r.readLong();
        int n = r.readArrayLength();
        List<MemberValue> members = new ArrayList<>(Math.max(0, n));
        for (int i = 0; i < n; i++) {
            String memberId = r.readString();
            String instanceId = r.readString();
            String clientId = r.readString();
            String clientHost = r.readString();
            int rebalanceTimeoutMs = r.readInt();
            int sessionTimeoutMs = r.readInt();
            int np = r.readArrayLength();
            List<Protocol> protocols = new ArrayList<>(Math.max(0, np));
            for (int j = 0; j < np; j++) {
                protocols.add(new Protocol(r.readString(), r.readBytes()));
            }
            byte[] assignment = r.readBytes();
            members.add(new MemberValue(
                    memberId,
                    instanceId,
                    clientId,
                    clientHost,
                    rebalanceTimeoutMs,
                    sessionTimeoutMs,
                    protocols,
                    assignment));
        }
        return new GroupValue(protocolType, generation, protocolName, leader, stateTs, members);
    }

    // ---- keys

    public static Key decodeKey(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short type = r.readShort();
        return switch (type) {
            case OFFSET_COMMIT_KEY -> new OffsetKey(r.readString(), r.readString(), r.readInt());
            case GROUP_METADATA_KEY -> new GroupKey(r.readString());
            default -> new UnknownKey(type);
        };
    }
}
