package io.tributary.broker.fetch;

import io.tributary.broker.BrokerState;
import io.tributary.broker.topic.PartitionLog;
import io.tributary.broker.topic.TopicIdPartition;
import io.tributary.broker.topic.TopicInfo;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.record.BaseRecords;
import io.tributary.protocol.record.MemoryRecords;
import io.tributary.storage.AbortedTxn;
import io.tributary.storage.LogReadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One read pass over the partitions of a fetch, in the order given, whoever assembles the
 * response (a full fetch lists every partition; a fetch session lists the ones it must send).
 * Records stay file slices, sent zero-copy. Byte limits as Kafka (KIP-74): the pass is capped by
 * the request's max_bytes and fetch.max.bytes, each partition by its partition_max_bytes, except
 * that the first batch of the first partition with data is returned whole even when it is larger,
 * so a consumer can always progress. Stateless; safe from any thread.
 */
public final class FetchReader {
    /** One partition to read and what the request asked of it (offset, byte limit, epochs). */
    public record PartitionFetch(TopicIdPartition partition, FetchRequestData.FetchPartition request) {}

    /**
     * One pass: each partition's answer in input order, and the record bytes read. {@code answerNow}:
     * some partition failed or diverged, which Kafka answers at once instead of waiting for min_bytes.
     */
    public record Pass(List<FetchResponseData.PartitionData> partitions, long bytes, boolean answerNow) {}

    private final BrokerState state;

    public FetchReader(BrokerState state) {
        this.state = state;
    }

    /**
     * Reads {@code parts}; {@code denied} are the topic names the requester may not read
     * (TOPIC_AUTHORIZATION_FAILED), {@code requestMaxBytes} its max_bytes (0 or less: no limit).
     */
    public Pass read(List<PartitionFetch> parts, int requestMaxBytes, Set<String> denied) {
        return read(parts, requestMaxBytes, denied, false);
    }

    /**
     * Like {@link #read(List, int, Set)} under an isolation level: read_committed reads stop at the
     * last stable offset and carry the aborted transactions they overlap (an empty list when none,
     * as Kafka); every answer carries the LSO, read_uncommitted too.
     */
    public Pass read(List<PartitionFetch> parts, int requestMaxBytes, Set<String> denied, boolean readCommitted) {
        long remaining = Math.min(
                requestMaxBytes <= 0 ? Integer.MAX_VALUE : requestMaxBytes,
                state.config().fetchMaxBytes());
        boolean minOneBatch = true;
        long bytes = 0;
        boolean answerNow = false;
        List<FetchResponseData.PartitionData> out = new ArrayList<>(parts.size());
        for (PartitionFetch pf : parts) {
            FetchRequestData.FetchPartition p = pf.request();
            FetchResponseData.PartitionData pd = empty(p.partition);
            out.add(pd);
            Errors error = check(pf, denied);
            PartitionLog log =
                    error == Errors.NONE ? state.topics().log(pf.partition().topicPartition()) : null;
            if (error == Errors.NONE && log == null) {
                error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            if (error == Errors.NONE && p.lastFetchedEpoch >= 0) {
                error = lastFetchedEpochError(log, p);
            }
            boolean diverged = error == Errors.NONE && diverged(log, p, pd);
            answerNow |= diverged;
            if (error == Errors.NONE && !diverged) {
                int limit = (int) Math.min(Math.max(0, p.partitionMaxBytes), remaining);
                LogReadResult r = log.read(p.fetchOffset, limit, minOneBatch && p.partitionMaxBytes > 0, readCommitted);
                error = r.error();
                pd.setHighWatermark(r.highWatermark())
                        .setLastStableOffset(r.lastStableOffset())
                        .setLogStartOffset(r.logStartOffset());
                if (readCommitted && error == Errors.NONE) {
                    pd.setAbortedTransactions(abortedTransactions(r.abortedTransactions()));
                }
                if (error == Errors.NONE && r.records() != null && r.records().sizeInBytes() > 0) {
                    BaseRecords recs = r.records();
                    pd.setRecords(recs);
                    bytes += recs.sizeInBytes();
                    remaining = Math.max(0, remaining - recs.sizeInBytes());
                    minOneBatch = false;
                }
            }
            if (error != Errors.NONE) {
                pd.setErrorCode(error.code());
                answerNow = true;
            }
        }
        return new Pass(out, bytes, answerNow);
    }

    private static List<FetchResponseData.AbortedTransaction> abortedTransactions(List<AbortedTxn> aborted) {
        List<FetchResponseData.AbortedTransaction> out = new ArrayList<>(aborted.size());
        for (AbortedTxn t : aborted) {
            out.add(new FetchResponseData.AbortedTransaction()
                    .setProducerId(t.producerId())
                    .setFirstOffset(t.firstOffset()));
        }
        return out;
    }

    /** A partition's answer before reading: no data, every offset unknown. */
    public static FetchResponseData.PartitionData empty(int partition) {
        return new FetchResponseData.PartitionData()
                .setPartitionIndex(partition)
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setAbortedTransactions(null)
                .setPreferredReadReplica(-1)
                .setRecords(MemoryRecords.EMPTY);
    }

    /** Errors found before touching the log, in Kafka's order: unknown id, authorization, leader epoch. */
    private static Errors check(PartitionFetch pf, Set<String> denied) {
        int currentLeaderEpoch = pf.request().currentLeaderEpoch;
        if (pf.partition().topic() == null) {
            return Errors.UNKNOWN_TOPIC_ID;
        } else if (denied.contains(pf.partition().topic())) {
            return Errors.TOPIC_AUTHORIZATION_FAILED;
        } else if (currentLeaderEpoch > TopicInfo.LEADER_EPOCH) {
            return Errors.UNKNOWN_LEADER_EPOCH;
        } else if (currentLeaderEpoch >= 0 && currentLeaderEpoch < TopicInfo.LEADER_EPOCH) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        return Errors.NONE;
    }

    /**
     * Kafka's check of the epoch of the last fetched record (v12+, sent by followers): this node has
     * had one leader epoch, so any other cannot be located, and neither can an offset below the log
     * start; both are OFFSET_OUT_OF_RANGE.
     */
    private static Errors lastFetchedEpochError(PartitionLog log, FetchRequestData.FetchPartition p) {
        return p.lastFetchedEpoch != TopicInfo.LEADER_EPOCH || p.fetchOffset < log.logStartOffset()
                ? Errors.OFFSET_OUT_OF_RANGE
                : Errors.NONE;
    }

    /**
     * Whether a fetch naming its last fetched epoch asks past that epoch's end (the log end offset
     * here): then the log has diverged from the fetcher's, and the answer carries the epoch and its
     * end offset instead of records.
     */
    private static boolean diverged(
            PartitionLog log, FetchRequestData.FetchPartition p, FetchResponseData.PartitionData pd) {
        long logEnd = log.logEndOffset();
        if (p.lastFetchedEpoch < 0 || p.fetchOffset <= logEnd) {
            return false;
        }
        pd.setHighWatermark(logEnd)
                .setLastStableOffset(log.lastStableOffset())
                .setLogStartOffset(log.logStartOffset())
                .setDivergingEpoch(new FetchResponseData.EpochEndOffset()
                        .setEpoch(TopicInfo.LEADER_EPOCH)
                        .setEndOffset(logEnd));
        return true;
    }
}
