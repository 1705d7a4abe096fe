package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a batch's records one after another without an object per record (issue 16: the
 * consumer's decode loop): {@link #next()} moves to the next record and the accessors read its
 * fields; key and value are exposed as two views that are repositioned for each record. It reads
 * the batch's bytes in place, heap or direct (or the batch's decompressed bytes), with the same
 * checks as {@link RecordBatch#iterator()}, and throws {@link CorruptRecordException} where that
 * would. One cursor is reused across batches by {@link #reset}; single-threaded.
 */
public final class RecordCursor {
    /** The records' bytes; positions are absolute indexes into it (its position and limit are not used). */
    private ByteBuffer data;

    private ByteBuffer keyView;
    private ByteBuffer valueView;
    private int pos;
    private int dataEnd;
    private int count;
    private int read;
    private long baseOffset;
    private long baseTimestamp;
    private long maxTimestamp;
    private boolean logAppendTime;

    private long offset;
    private long timestamp;
    private int keyLength;
    private int valueLength;
    private Header[] headers = Record.NO_HEADERS;

    /**
     * Starts on {@code batch}'s records, decompressing them first when the batch is compressed.
     * Uncompressed records are read in place, from a heap or a direct buffer (the consumer reads
     * fetch answers into direct buffers, so the socket's bytes are never copied to the heap).
     */
    public RecordCursor reset(RecordBatch batch) {
        count = batch.recordsCount();
        baseOffset = batch.baseOffset();
        if (count < 0) {
            throw new CorruptRecordException(
                    "Found invalid record count " + count + " in record batch at offset " + baseOffset);
        }
        baseTimestamp = batch.baseTimestamp();
        maxTimestamp = batch.maxTimestamp();
        logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        read = 0;
        if (count == 0) {
            // Nothing to read: like the iterator, which decompresses on the first record only.
            pos = 0;
            dataEnd = 0;
            return this;
        }
        ByteBuffer records;
        if (batch.compressionType() == CompressionType.NONE) {
            // In place, in the buffer every batch of a fetch shares: no buffer object per batch.
            records = batch.backing();
            pos = batch.position() + RecordBatchHeader.SIZE;
            dataEnd = batch.position() + batch.sizeInBytes();
        } else {
            ByteBuffer region = batch.buffer(); // exactly the batch, from its first byte
            region.position(RecordBatchHeader.SIZE);
            records = batch.compressionType().decompress(region.slice());
            pos = records.position();
            dataEnd = records.limit();
        }
        if (records != data) {
            data = records;
            keyView = records.duplicate();
            valueView = records.duplicate();
        }
        return this;
    }

    /** Whether another record follows (the batch's declared count). */
    public boolean hasNext() {
        return read < count;
    }

    /**
     * Reads the next record; its fields stay readable until the next call.
     *
     * @throws CorruptRecordException for a malformed record or when bytes remain after the declared count
     */
    public void next() {
        if (read >= count) {
            throw new java.util.NoSuchElementException();
        }
        int bodySize = readVarint(dataEnd);
        if (bodySize < 0 || bodySize > dataEnd - pos) {
            throw new CorruptRecordException(
                    "Record size " + bodySize + " is invalid with " + (dataEnd - pos) + " bytes left in the batch");
        }
        int bodyStart = pos;
        int end = bodyStart + bodySize;
        if (pos >= end) {
            throw truncated(null);
        }
        pos++; // attributes: unused in v2
        long timestampDelta = readVarlong(end);
        int offsetDelta = readVarint(end);
        keyLength = readBytes(end, keyView, "key");
        valueLength = readBytes(end, valueView, "value");
        int headerCount = readVarint(end);
        if (headerCount < 0 || headerCount > (end - pos) / 2) {
            throw new CorruptRecordException("Invalid header count " + headerCount);
        }
        headers = headerCount == 0 ? Record.NO_HEADERS : readHeaders(headerCount, end);
        if (pos != end) {
            throw new CorruptRecordException("Invalid record size: expected to read " + bodySize
                    + " bytes in record payload, but instead read " + (pos - bodyStart));
        }
        offset = baseOffset + offsetDelta;
        timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        read++;
        if (read == count && pos != dataEnd) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset + " declares " + count
                    + " records but " + (dataEnd - pos) + " bytes remain after them");
        }
    }

    public long offset() {
        return offset;
    }

    /** CreateTime as sent by the producer, or the batch's LogAppendTime when the broker stamped it. */
    public long timestamp() {
        return timestamp;
    }

    /** The key's size, or -1 for a null key. */
    public int keySize() {
        return keyLength;
    }

    /** The value's size, or -1 for a null value (a tombstone). */
    public int valueSize() {
        return valueLength;
    }

    /** The key as a view valid until the next {@link #next()} or {@link #reset}, or null. Not a copy. */
    public ByteBuffer key() {
        return keyLength < 0 ? null : keyView;
    }

    /** The value as a view valid until the next {@link #next()} or {@link #reset}, or null. Not a copy. */
    public ByteBuffer value() {
        return valueLength < 0 ? null : valueView;
    }

    /** The headers; an empty array when there are none. Callers must not modify it. */
    public Header[] headers() {
        return headers;
    }

    /** Reads a length-prefixed field and points {@code view} at it; returns its length (-1: null). */
    private int readBytes(int end, ByteBuffer view, String what) {
        int len = readVarint(end);
        if (len < 0) {
            if (len != -1) {
                throw new CorruptRecordException("Invalid record " + what + " size " + len);
            }
            return -1;
        }
        if (len > end - pos) {
            throw new CorruptRecordException("Record " + what + " of " + len + " bytes exceeds the record");
        }
        view.limit(pos + len).position(pos);
        pos += len;
        return len;
    }

    private Header[] readHeaders(int headerCount, int end) {
        Header[] out = new Header[headerCount];
        for (int i = 0; i < headerCount; i++) {
            int keyLen = readVarint(end);
            if (keyLen < 0 || keyLen > end - pos) {
                throw new CorruptRecordException("Invalid header key size " + keyLen);
            }
            byte[] keyBytes = new byte[keyLen];
            data.get(pos, keyBytes);
            String key = new String(keyBytes, StandardCharsets.UTF_8);
            pos += keyLen;
            int valueLen = readVarint(end);
            byte[] value = null;
            if (valueLen >= 0) {
                if (valueLen > end - pos) {
                    throw new CorruptRecordException("Invalid header value size " + valueLen);
                }
                value = new byte[valueLen];
                data.get(pos, value);
                pos += valueLen;
            } else if (valueLen != -1) {
                throw new CorruptRecordException("Invalid header value size " + valueLen);
            }
            out[i] = new Header(key, value);
        }
        return out;
    }

    /** A zig-zag varint that must end before {@code limit}. */
    private int readVarint(int limit) {
        // Most of a record's varints (attributes aside: offset delta, key and value lengths, header
        // count, small timestamp deltas) take one or two bytes: read those without the loop.
        if (limit - pos >= 2) {
            byte b0 = data.get(pos);
            if (b0 >= 0) {
                pos++;
                return (b0 >>> 1) ^ -(b0 & 1);
            }
            byte b1 = data.get(pos + 1);
            if (b1 >= 0) {
                pos += 2;
                int v = (b0 & 0x7f) | (b1 << 7);
                return (v >>> 1) ^ -(v & 1);
            }
        }
        return readVarintSlow(limit);
    }

    private int readVarintSlow(int limit) {
        int value = 0;
        int shift = 0;
        while (true) {
            if (pos >= limit) {
                throw truncated("varint");
            }
            byte x = data.get(pos++);
            value |= (x & 0x7f) << shift;
            if (x >= 0) {
                return (value >>> 1) ^ -(value & 1);
            }
            shift += 7;
            if (shift > 28) {
                throw new CorruptRecordException("Varint is too long");
            }
        }
    }

    /** A zig-zag varlong that must end before {@code limit}. */
    private long readVarlong(int limit) {
        long value = 0;
        int shift = 0;
        while (true) {
            if (pos >= limit) {
                throw truncated("varlong");
            }
            byte x = data.get(pos++);
            value |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return (value >>> 1) ^ -(value & 1);
            }
            shift += 7;
            if (shift > 63) {
                throw new CorruptRecordException("Varlong is too long");
            }
        }
    }

    private CorruptRecordException truncated(String what) {
        return new CorruptRecordException("Truncated or malformed record " + read + " in record batch at offset "
                + baseOffset + (what == null ? "" : " (" + what + ")"));
    }
}
