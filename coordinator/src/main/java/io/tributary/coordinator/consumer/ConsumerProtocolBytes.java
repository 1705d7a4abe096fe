package io.tributary.coordinator.consumer;

import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The embedded "consumer" protocol of classic members (ConsumerProtocolSubscription and
 * ConsumerProtocolAssignment), which the coordinator reads and writes itself for classic members
 * of a consumer group: it computes their assignment instead of a group leader.
 * <pre>
 * Subscription: version int16, topics [string], user data bytes,
 *               v1+: owned partitions [topic string, partitions [int32]], v2+: generation int32,
 *               v3+: rack id nullable string
 * Assignment:   version int16, [topic string, partitions [int32]], user data bytes
 * </pre>
 * Topics are named here; the consumer group maps them to ids. Stateless.
 */
final class ConsumerProtocolBytes {
    private ConsumerProtocolBytes() {}

    /** What a classic member's JoinGroup metadata says: its topics, and the partitions it still owns. */
    record Subscription(List<String> topics, TreeMap<String, TreeSet<Integer>> owned, String rackId) {}

    /** @throws RuntimeException when the bytes are no subscription */
    static Subscription subscription(byte[] metadata) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(metadata));
        short version = r.readShort();
        if (version < 0) {
            throw new IllegalArgumentException("bad subscription version " + version);
        }
        int n = r.readArrayLength();
        List<String> topics = new ArrayList<>(Math.max(0, n));
        for (int i = 0; i < n; i++) {
            topics.add(r.readString());
        }
        r.readBytes();
        TreeMap<String, TreeSet<Integer>> owned = new TreeMap<>();
        String rack = null;
        if (version >= 1) {
            owned = readTopicPartitions(r);
        }
        if (version >= 2) {
            r.readInt();
        }
        if (version >= 3) {
            rack = r.readString();
        }
        return new Subscription(List.copyOf(topics), owned, rack);
    }

    static byte[] assignment(Map<String, ? extends java.util.Set<Integer>> partitions) {
        ProtocolWriter w = new ProtocolWriter(64);
        w.writeShort((short) 0);
        writeTopicPartitions(w, partitions);
        w.writeBytes(null);
        return w.toByteArray();
    }

    /** @throws RuntimeException when non-empty bytes are no assignment (empty: a member that never synced) */
    static void checkAssignment(byte[] assignment) {
        if (assignment != null && assignment.length > 0) {
            ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(assignment));
            r.readShort();
            readTopicPartitions(r);
        }
    }

    /** The partitions of an assignment; empty for empty or unreadable bytes (a member that never synced). */
    static TreeMap<String, TreeSet<Integer>> assignedPartitions(byte[] assignment) {
        if (assignment == null || assignment.length < 2) {
            return new TreeMap<>();
        }
        try {
            ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(assignment));
            r.readShort();
            return readTopicPartitions(r);
        } catch (RuntimeException e) {
            return new TreeMap<>();
        }
    }

    private static TreeMap<String, TreeSet<Integer>> readTopicPartitions(ProtocolReader r) {
        TreeMap<String, TreeSet<Integer>> out = new TreeMap<>();
        int n = r.readArrayLength();
        for (int i = 0; i < n; i++) {
            String topic = r.readString();
            int np = r.readArrayLength();
            TreeSet<Integer> ps = out.computeIfAbsent(topic, t -> new TreeSet<>());
            for (int j = 0; j < np; j++) {
                ps.add(r.readInt());
            }
        }
        return out;
    }

    private static void writeTopicPartitions(ProtocolWriter w, Map<String, ? extends java.util.Set<Integer>> ps) {
        w.writeInt(ps.size());
        ps.forEach((topic, set) -> {
            w.writeString(topic);
            w.writeInt(set.size());
            set.forEach(w::writeInt);
        });
    }
}
