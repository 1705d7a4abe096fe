package io.tributary.storage;

import io.tributary.protocol.Errors;

/**
 * A read of one partition: whole batches as a file slice (empty when there is nothing to return
 * at that offset, or the first batch is over the byte limit and minOneBatch was false), plus the
 * offsets a Fetch response reports. On a single node the high watermark is the log end offset.
 */
public record LogReadResult(
        Errors error, FileRecordsSlice records, long highWatermark, long logStartOffset, long logEndOffset) {}
