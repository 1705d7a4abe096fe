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
 * key type 3  pending transactional offset commit (TxnOffsetCommit)
 *             key: producer id int64, group, topic, partition int32
 *             value v0: producer epoch int16, then the offset commit value v0 fields
 * key type 4  end of a transaction's offsets   key: producer id int64
 *             value v0: producer epoch int16, committed int8 (1 commit, 0 abort)
 * key type 5  consumer group (KIP-848)   key: group
 *             value: see {@code io.tributary.coordinator.consumer.ConsumerGroupCodec}
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
    public static final short TXN_OFFSET_COMMIT_KEY = 3;
    public static final short TXN_END_KEY = 4;
    public static final short CONSUMER_GROUP_KEY = 5;
    private static final short VALUE_VERSION = 0;

    private RecordCodec() {}

    /** A decoded key: one of the records below. */
    public sealed interface Key permits OffsetKey, GroupKey, TxnOffsetKey, TxnEndKey, ConsumerGroupKey, UnknownKey {}

    public record OffsetKey(String groupId, String topic, int partition) implements Key {}

    public record GroupKey(String groupId) implements Key {}

    /** A consumer group of the next-generation protocol; its value's layout is the consumer package's. */
    public record ConsumerGroupKey(String groupId) implements Key {}

    public static byte[] consumerGroupKey(String groupId) {
        ProtocolWriter w = new ProtocolWriter(4 + groupId.length());
        w.writeShort(CONSUMER_GROUP_KEY);
        w.writeString(groupId);
        return w.toByteArray();
    }

    /** One partition's offset in a producer's open transaction. */
    public record TxnOffsetKey(long producerId, String groupId, String topic, int partition) implements Key {}

    /** The outcome of a producer's transaction, for every group it committed offsets in. */
    public record TxnEndKey(long producerId) implements Key {}

    public record TxnOffsetValue(short producerEpoch, OffsetValue offset) {}

    public record TxnEndValue(short producerEpoch, boolean committed) {}

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
        writeOffsetFields(w, v);
        return w.toByteArray();
    }

    private static void writeOffsetFields(ProtocolWriter w, OffsetValue v) {
        w.writeLong(v.offset());
        w.writeInt(v.leaderEpoch());
        w.writeString(v.metadata());
        w.writeLong(v.commitTimestampMs());
        w.writeLong(v.expireTimestampMs());
    }

    public static OffsetValue decodeOffsetValue(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad offset value version " + version);
        }
        // Newer versions only append fields, so a v0 reader takes the prefix it knows.
        return readOffsetFields(r);
    }

    private static OffsetValue readOffsetFields(ProtocolReader r) {
        return new OffsetValue(r.readLong(), r.readInt(), r.readString(), r.readLong(), r.readLong());
    }

    // ---- transactional offsets (KIP-98, KIP-447)

    public static CoordinatorRecord txnOffsetCommit(
            long producerId, String groupId, String topic, int partition, TxnOffsetValue v) {
        ProtocolWriter k = new ProtocolWriter(16 + groupId.length() + topic.length());
        k.writeShort(TXN_OFFSET_COMMIT_KEY);
        k.writeLong(producerId);
        k.writeString(groupId);
        k.writeString(topic);
        k.writeInt(partition);
        ProtocolWriter w = new ProtocolWriter(48);
        w.writeShort(VALUE_VERSION);
        w.writeShort(v.producerEpoch());
        writeOffsetFields(w, v.offset());
        return new CoordinatorRecord(k.toByteArray(), w.toByteArray());
    }

    public static TxnOffsetValue decodeTxnOffsetValue(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad transactional offset value version " + version);
        }
        return new TxnOffsetValue(r.readShort(), readOffsetFields(r));
    }

    public static CoordinatorRecord txnEnd(long producerId, TxnEndValue v) {
        ProtocolWriter k = new ProtocolWriter(10);
        k.writeShort(TXN_END_KEY);
        k.writeLong(producerId);
        ProtocolWriter w = new ProtocolWriter(5);
        w.writeShort(VALUE_VERSION);
        w.writeShort(v.producerEpoch());
        w.writeByte(v.committed() ? (byte) 1 : (byte) 0);
        return new CoordinatorRecord(k.toByteArray(), w.toByteArray());
    }

    public static TxnEndValue decodeTxnEndValue(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad transaction end value version " + version);
        }
        return new TxnEndValue(r.readShort(), r.readByte() != 0);
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

    /** A stored field that is never written null: null means the record is corrupt. */
    private static String required(String value, String field) {
        if (value == null) {
            throw new ProtocolException("group value with a null " + field);
        }
        return value;
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
            String memberId = required(r.readString(), "member id");
            String instanceId = r.readString();
            String clientId = r.readString();
            String clientHost = r.readString();
            int rebalanceTimeoutMs = r.readInt();
            int sessionTimeoutMs = r.readInt();
            int np = r.readArrayLength();
            List<Protocol> protocols = new ArrayList<>(Math.max(0, np));
            for (int j = 0; j < np; j++) {
                protocols.add(new Protocol(required(r.readString(), "protocol name"), r.readBytes()));
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
            case TXN_OFFSET_COMMIT_KEY -> new TxnOffsetKey(r.readLong(), r.readString(), r.readString(), r.readInt());
            case TXN_END_KEY -> new TxnEndKey(r.readLong());
            case CONSUMER_GROUP_KEY -> new ConsumerGroupKey(r.readString());
            default -> new UnknownKey(type);
        };
    }
}
