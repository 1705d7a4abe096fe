package io.tributary.broker.fetch;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;

/**
 * One partition of a fetch session: what the client last asked for (so an incremental request
 * need not repeat it) and what the broker last told it (so an incremental response can leave out
 * a partition that has nothing new). Guarded by its session's lock.
 */
final class CachedPartition {
    final SessionKey key;
    // Request side, replaced whenever the client resends the partition.
    long fetchOffset;
    int partitionMaxBytes;
    int currentLeaderEpoch;
    int lastFetchedEpoch;
    long fetcherLogStartOffset;
    // Response side; -1 until answered, so a newly added partition is always in the next response.
    long highWatermark = -1;
    long lastStableOffset = -1;
    long logStartOffset = -1;

    CachedPartition(SessionKey key, FetchRequestData.FetchPartition request) {
        this.key = key;
        updateRequest(request);
    }

    void updateRequest(FetchRequestData.FetchPartition p) {
        fetchOffset = p.fetchOffset;
        partitionMaxBytes = p.partitionMaxBytes;
        currentLeaderEpoch = p.currentLeaderEpoch;
        lastFetchedEpoch = p.lastFetchedEpoch;
        fetcherLogStartOffset = p.logStartOffset;
    }

    FetchRequestData.FetchPartition toRequest() {
        return new FetchRequestData.FetchPartition()
                .setPartition(key.partition())
                .setFetchOffset(fetchOffset)
                .setPartitionMaxBytes(partitionMaxBytes)
                .setCurrentLeaderEpoch(currentLeaderEpoch)
                .setLastFetchedEpoch(lastFetchedEpoch)
                .setLogStartOffset(fetcherLogStartOffset);
    }

    /**
     * Whether an incremental response must carry this partition (KIP-227: new records, an error,
     * or a changed high watermark, last stable offset or log start offset); when {@code update},
     * also remembers what this answer tells the client.
     */
    boolean mustRespond(FetchResponseData.PartitionData r, boolean update) {
        boolean must = r.records != null && r.records.sizeInBytes() > 0;
        if (r.highWatermark != highWatermark) {
            must = true;
            if (update) {
                highWatermark = r.highWatermark;
            }
        }
        if (r.lastStableOffset != lastStableOffset) {
            must = true;
            if (update) {
                lastStableOffset = r.lastStableOffset;
            }
        }
        if (r.logStartOffset != logStartOffset) {
            must = true;
            if (update) {
                logStartOffset = r.logStartOffset;
            }
        }
        if (r.preferredReadReplica >= 0 || (r.divergingEpoch != null && r.divergingEpoch.epoch >= 0)) {
            must = true;
        }
        if (r.errorCode != Errors.NONE.code()) {
            must = true;
            if (update) {
                // Forget the watermark, so the partition is answered again once the error clears.
                highWatermark = -1;
            }
        }
        return must;
    }
}
