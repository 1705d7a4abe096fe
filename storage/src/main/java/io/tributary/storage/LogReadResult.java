package io.tributary.storage;

import io.tributary.protocol.Errors;
import java.util.List;

/**
 * A read of one partition: whole batches as a file slice (empty when there is nothing to return
 * at that offset, or the first batch is over the byte limit and minOneBatch was false), plus the
 * offsets a Fetch response reports. On a single node the high watermark is the log end offset.
 * abortedTransactions is set only by a read_committed read that overlaps aborted transactions
 * (null otherwise, as Kafka's FetchResponse); lastStableOffset is -1 when the read did not ask.
 */
public record LogReadResult(
        Errors error,
        FileRecordsSlice records,
        long highWatermark,
        long logStartOffset,
        long logEndOffset,
        long lastStableOffset,
        List<AbortedTxn> abortedTransactions) {

    public LogReadResult(
            Errors error, FileRecordsSlice records, long highWatermark, long logStartOffset, long logEndOffset) {
        this(error, records, highWatermark, logStartOffset, logEndOffset, -1L, null);
    }

    LogReadResult withLastStableOffset(long lso) {
        return new LogReadResult(error, records, highWatermark, logStartOffset, logEndOffset, lso, null);
    }

    LogReadResult withAborts(long lso, List<AbortedTxn> aborted) {
        return new LogReadResult(error, records, highWatermark, logStartOffset, logEndOffset, lso, aborted);
    }
}
