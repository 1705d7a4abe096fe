package io.tributary.coordinator.transaction;

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

/**
 * The byte layout of the transaction coordinator's log records (its own log, so its own key
 * space). Like the group coordinator's, keys start with an int16 type and values with an int16
 * version, and newer versions only append fields:
 * <pre>
 * key type 1  transaction metadata  key: transactional id (int16 string)
 *             value v0: producer id int64, previous producer id int64, epoch int16,
 *                       last epoch int16, timeout int32, state int8,
 *                       partitions: int32 count of { topic string, int32 count of int32 },
 *                       start timestamp int64, last update timestamp int64
 * </pre>
 * A null value is a tombstone (the id expired).
 */
public final class TransactionRecords {
    public static final short TRANSACTION_KEY = 1;
    private static final short VALUE_VERSION = 0;

    private TransactionRecords() {}

    public static CoordinatorRecord record(TransactionMetadata m) {
        return new CoordinatorRecord(key(m.transactionalId()), value(m));
    }

    public static CoordinatorRecord tombstone(String transactionalId) {
        return new CoordinatorRecord(key(transactionalId), null);
    }

    private static byte[] key(String transactionalId) {
        ProtocolWriter w = new ProtocolWriter(4 + transactionalId.length());
        w.writeShort(TRANSACTION_KEY);
        w.writeString(transactionalId);
        return w.toByteArray();
    }

    /** The transactional id of a key, or null for a key type this version does not know. */
    public static String decodeKey(byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short type = r.readShort();
        return type == TRANSACTION_KEY ? r.readString() : null;
    }

    private static byte[] value(TransactionMetadata m) {
        ProtocolWriter w = new ProtocolWriter(64);
        w.writeShort(VALUE_VERSION);
        w.writeLong(m.producerId());
        w.writeLong(m.previousProducerId());
        w.writeShort(m.producerEpoch());
        w.writeShort(m.lastProducerEpoch());
        w.writeInt(m.txnTimeoutMs());
        w.writeByte(m.state().id);
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TxnPartition p : m.partitions()) {
            byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition());
        }
        w.writeInt(byTopic.size());
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            w.writeString(e.getKey());
            w.writeInt(e.getValue().size());
            for (int p : e.getValue()) {
                w.writeInt(p);
            }
        }
        w.writeLong(m.txnStartTimestampMs());
        w.writeLong(m.txnLastUpdateTimestampMs());
        return w.toByteArray();
    }

    public static TransactionMetadata decodeValue(String transactionalId, byte[] bytes) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(bytes));
        short version = r.readShort();
        if (version < 0) {
            throw new ProtocolException("bad transaction value version " + version);
        }
        long producerId = r.readLong();
        long previousProducerId = r.readLong();
        short epoch = r.readShort();
        short lastEpoch = r.readShort();
        int timeoutMs = r.readInt();
        TransactionState state = TransactionState.fromId(r.readByte());
        TreeSet<TxnPartition> partitions = new TreeSet<>();
        int topics = r.readInt();
        for (int i = 0; i < topics; i++) {
            String topic = r.readString();
            int n = r.readInt();
            for (int j = 0; j < n; j++) {
                partitions.add(new TxnPartition(topic, r.readInt()));
            }
        }
        return new TransactionMetadata(
                transactionalId,
                producerId,
                previousProducerId,
                epoch,
                lastEpoch,
                timeoutMs,
                state,
                partitions,
                r.readLong(),
                r.readLong());
    }
}
