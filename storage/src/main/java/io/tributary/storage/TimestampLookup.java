package io.tributary.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * ListOffsets by timestamp over a log's segments: the record with the largest timestamp
 * ({@link Log#MAX_TIMESTAMP}), or the first record whose timestamp is at or after a given one,
 * skipping segments whose newest timestamp is older and searching within one through its time
 * index.
 *
 * <p>Stateless; runs on the caller's thread without the log's lock, like any read, so it never
 * reads past the log end the caller took.
 */
final class TimestampLookup {
    private TimestampLookup() {}

    /**
     * @param timestamp {@link Log#MAX_TIMESTAMP} or a timestamp >= 0 (others find nothing)
     * @param endSegmentBase base offset of the segment that holds the log end
     * @param endPosition the log end's byte position in that segment
     */
    static Optional<TimestampAndOffset> find(
            Collection<LogSegment> segments, long timestamp, long logStartOffset, long endSegmentBase, int endPosition)
            throws IOException {
        if (timestamp == Log.MAX_TIMESTAMP) {
            LogSegment best = null;
            for (LogSegment seg : segments) {
                if (seg.maxTimestampSoFar() >= 0
                        && (best == null || seg.maxTimestampSoFar() > best.maxTimestampSoFar())) {
                    best = seg;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            return best.reader()
                    .findByTimestamp(
                            best.maxTimestampSoFar(), logStartOffset, best.readLimit(endSegmentBase, endPosition));
        }
        if (timestamp < 0) {
            return Optional.empty();
        }
        for (LogSegment seg : segments) {
            if (seg.baseOffset() > endSegmentBase) {
                break;
            }
            if (seg.maxTimestampSoFar() >= timestamp) {
                Optional<TimestampAndOffset> found = seg.reader()
                        .findByTimestamp(timestamp, logStartOffset, seg.readLimit(endSegmentBase, endPosition));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
