package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/**
 * One record read from a batch. Key and value are views into the batch (or into the batch's
 * decompressed bytes), not copies: they stay valid as long as the caller keeps them, and each
 * call returns a fresh duplicate so readers may move its position freely. Immutable.
 */
public final class Record {
    static final Header[] NO_HEADERS = new Header[0];

    private final long offset;
    private final long timestamp;
    private final int sequence;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final Header[] headers;
    private final int sizeInBytes;

    public Record(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        this(offset, timestamp, RecordBatch.NO_SEQUENCE, key, value, headers, -1);
    }

    Record(
            long offset,
            long timestamp,
            int sequence,
            ByteBuffer key,
            ByteBuffer value,
            Header[] headers,
            int sizeInBytes) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.sequence = sequence;
        this.key = key;
        this.value = value;
        this.headers = headers == null ? NO_HEADERS : headers;
        this.sizeInBytes = sizeInBytes;
    }

    public long offset() {
        return offset;
    }

    /** CreateTime as sent by the producer, or the batch's LogAppendTime when the broker stamped it. */
    public long timestamp() {
        return timestamp;
    }

    /** The producer sequence of this record, or -1 when the batch has none. */
    public int sequence() {
        return sequence;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The key, or null. */
    public ByteBuffer key() {
        return key == null ? null : key.duplicate();
    }

    public int keySize() {
        return key == null ? -1 : key.remaining();
    }

    public boolean hasValue() {
        return value != null;
    }

    /** The value, or null (a tombstone). */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /**
     * The value's own view (not a duplicate), or null: for a reader that owns this record and
     * reads the value once, as the consumer's poll does, saving a buffer object per record.
     * Moving its position changes what {@link #value()} returns afterwards.
     */
    public ByteBuffer valueView() {
        return value;
    }

    /** The key's own view (not a duplicate), or null; see {@link #valueView()}. */
    public ByteBuffer keyView() {
        return key;
    }

    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    /** The headers; an empty array when there are none. Callers must not modify it. */
    public Header[] headers() {
        return headers;
    }

    /** Encoded size including the length prefix, or -1 for a record not read from a batch. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** A copy of the key's bytes, or null. */
    public byte[] keyBytes() {
        return copy(key);
    }

    /** A copy of the value's bytes, or null. */
    public byte[] valueBytes() {
        return copy(value);
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + keySize() + " bytes, value="
                + valueSize() + " bytes, headers=" + headers.length + ")";
    }
}
