package io.tributary.coordinator.consumer;

import io.tributary.coordinator.record.Protocol;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.protocol.ProtocolException;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The value of a consumer group record (key type 5): the whole group in one record, so the last
 * record of a group is its state and a snapshot restates it with one record.
 * <pre>
 * value v0: group epoch int32, assignment epoch int32, assignor (nullable string),
 *           metadata fingerprint string, members: int32 count of
 *           { member id, instance id, rack id, client id, client host (nullable strings),
 *             rebalance timeout int32, subscribed names: int32 count of strings,
 *             subscribed regex, server assignor (nullable strings),
 *             member epoch int32, previous member epoch int32,
 *             assigned, revoking, target: partitions,
 *             v1+: classic int8 (1 when the member speaks the classic protocol), and then
 *             session timeout int32, protocols: int32 count of { name string, metadata bytes } }
 * partitions: int32 count of { topic id (uuid), int32 count of int32 partition }
 * </pre>
 * A null value (tombstone) deletes the group.
 */
final class ConsumerGroupCodec {
    private static final short VALUE_VERSION = 1;

    private ConsumerGroupCodec() {}

    static CoordinatorRecord record(ConsumerGroup g) {
        ProtocolWriter w = new ProtocolWriter(256);
        w.writeShort(VALUE_VERSION);
        w.writeInt(g.groupEpoch);
        w.writeInt(g.assignmentEpoch);
        w.writeString(g.assignorName);
        w.writeString(g.metadataFingerprint);
        w.writeInt(g.members.size());
        for (ConsumerMember m : g.members.values()) {
            w.writeString(m.memberId);
            w.writeString(m.instanceId);
            w.writeString(m.rackId);
            w.writeString(m.clientId);
            w.writeString(m.clientHost);
            w.writeInt(m.rebalanceTimeoutMs);
            w.writeInt(m.subscribedTopicNames.size());
            m.subscribedTopicNames.forEach(w::writeString);
            w.writeString(m.subscribedTopicRegex);
            w.writeString(m.serverAssignor);
            w.writeInt(m.memberEpoch);
            w.writeInt(m.previousMemberEpoch);
            writePartitions(w, m.assigned);
            writePartitions(w, m.revoking);
            writePartitions(w, g.targetOf(m.memberId));
            w.writeBoolean(m.usesClassicProtocol());
            if (m.usesClassicProtocol()) {
                w.writeInt(m.classicSessionTimeoutMs);
                w.writeInt(m.classicProtocols.size());
                for (Protocol p : m.classicProtocols) {
                    w.writeString(p.name());
                    w.writeBytes(p.metadata());
                }
            }
        }
        return new CoordinatorRecord(RecordCodec.consumerGroupKey(g.groupId), w.toByteArray());
    }

    static CoordinatorRecord tombstone(String groupId) {
        return new CoordinatorRecord(RecordCodec.consumerGroupKey(groupId), null);
    }

    static ConsumerGroup decode(String groupId, byte[] value) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(value));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad consumer group value version " + version);
        }
        ConsumerGroup g = new ConsumerGroup(groupId);
        g.groupEpoch = r.readInt();
        g.assignmentEpoch = r.readInt();
        g.assignorName = r.readString();
        g.metadataFingerprint = r.readString();
        int n = r.readArrayLength();
        for (int i = 0; i < n; i++) {
            ConsumerMember m = new ConsumerMember(r.readString());
            m.instanceId = r.readString();
            m.rackId = r.readString();
            m.clientId = r.readString();
            m.clientHost = r.readString();
            m.rebalanceTimeoutMs = r.readInt();
            int ns = r.readArrayLength();
            List<String> names = new ArrayList<>(Math.max(0, ns));
            for (int j = 0; j < ns; j++) {
                names.add(r.readString());
            }
            m.subscribedTopicNames = List.copyOf(names);
            m.subscribedTopicRegex = r.readString();
            m.serverAssignor = r.readString();
            m.memberEpoch = r.readInt();
            m.previousMemberEpoch = r.readInt();
            m.assigned = readPartitions(r);
            m.revoking = readPartitions(r);
            TreeMap<UUID, TreeSet<Integer>> target = readPartitions(r);
            if (version >= 1 && r.readBoolean()) {
                m.classicSessionTimeoutMs = r.readInt();
                int np = r.readArrayLength();
                List<Protocol> protocols = new ArrayList<>(Math.max(0, np));
                for (int j = 0; j < np; j++) {
                    protocols.add(new Protocol(r.readString(), r.readBytes()));
                }
                m.classicProtocols = List.copyOf(protocols);
            }
            g.members.put(m.memberId, m);
            g.target.put(m.memberId, target);
        }
        return g;
    }

    private static void writePartitions(ProtocolWriter w, Map<UUID, TreeSet<Integer>> ps) {
        w.writeInt(ps.size());
        ps.forEach((t, set) -> {
            w.writeUuid(t);
            w.writeInt(set.size());
            set.forEach(w::writeInt);
        });
    }

    private static TreeMap<UUID, TreeSet<Integer>> readPartitions(ProtocolReader r) {
        TreeMap<UUID, TreeSet<Integer>> out = new TreeMap<>();
        int n = r.readArrayLength();
        for (int i = 0; i < n; i++) {
            UUID t = r.readUuid();
            int np = r.readArrayLength();
            TreeSet<Integer> set = new TreeSet<>();
            for (int j = 0; j < np; j++) {
                set.add(r.readInt());
            }
            out.put(t, set);
        }
        return out;
    }
}
