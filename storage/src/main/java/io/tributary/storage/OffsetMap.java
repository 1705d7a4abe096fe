package io.tributary.storage;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's key to latest-offset map over a dirty range, in a fixed amount of memory: an
 * open-addressing table of (MD5 of the key, offset) slots, 24 bytes each, as Kafka's
 * SkimpyOffsetMap. Keys are never stored, so memory is bounded by the slot count whatever the
 * key sizes; two keys with the same 128-bit hash would be treated as one (negligible odds).
 * Only {@code loadFactor} of the slots are used so that probes stay short.
 *
 * <p>Threads: confined to the cleaner thread that built it.
 */
final class OffsetMap {
    static final int HASH_SIZE = 16;
    static final int SLOT_SIZE = HASH_SIZE + 8;

    private final ByteBuffer table;
    private final int slots;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] hash = new byte[HASH_SIZE];
    /** The hash as two big-endian longs, compared in place in the table (no copy per probe). */
    private final ByteBuffer hashView = ByteBuffer.wrap(hash);

    private long hashHigh;
    private long hashLow;
    private int entries;
    private long latestOffset = -1;

    /** A map of at most memoryBytes (at least one slot). */
    OffsetMap(long memoryBytes, double loadFactor) {
        long n = Math.max(1, Math.min(Integer.MAX_VALUE / SLOT_SIZE, memoryBytes / SLOT_SIZE));
        this.slots = (int) n;
        this.maxEntries = Math.max(1, (int) (slots * loadFactor));
        this.table = ByteBuffer.allocate(slots * SLOT_SIZE);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    /** Bytes a map needs to hold entries keys at the load factor. */
    static long memoryFor(long keys, double loadFactor) {
        return (long) Math.ceil(keys / loadFactor) * SLOT_SIZE + SLOT_SIZE;
    }

    int size() {
        return entries;
    }

    /** How many more keys fit. */
    int remaining() {
        return maxEntries - entries;
    }

    /** The largest offset put so far, -1 when empty. */
    long latestOffset() {
        return latestOffset;
    }

    /** Records offset as the latest for key; a new key needs {@link #remaining()} > 0. */
    void put(ByteBuffer key, long offset) {
        hashKey(key);
        int at = findSlot() * SLOT_SIZE;
        if (isEmpty(at)) {
            if (entries >= maxEntries) {
                throw new IllegalStateException("offset map is full");
            }
            table.putLong(at, hashHigh);
            table.putLong(at + 8, hashLow);
            entries++;
        }
        table.putLong(at + HASH_SIZE, offset);
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset recorded for key, or -1. */
    long get(ByteBuffer key) {
        hashKey(key);
        int at = findSlot() * SLOT_SIZE;
        return isEmpty(at) ? -1 : table.getLong(at + HASH_SIZE);
    }

    /** The slot holding hash, or the empty slot where it would go (linear probing). */
    private int findSlot() {
        // the first 4 bytes of the hash pick the starting slot
        int slot = Math.floorMod((int) (hashHigh >>> 32), slots);
        for (int i = 0; i < slots; i++) {
            int at = slot * SLOT_SIZE;
            long high = table.getLong(at);
            long low = table.getLong(at + 8);
            if ((high == 0 && low == 0) || (high == hashHigh && low == hashLow)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        throw new IllegalStateException("offset map has no free slot");
    }

    /** An empty slot has an all-zero hash (an MD5 that is all zeros is not a practical concern). */
    private boolean isEmpty(int at) {
        return table.getLong(at) == 0 && table.getLong(at + 8) == 0;
    }

    private void hashKey(ByteBuffer key) {
        md5.reset();
        md5.update(key.duplicate());
        try {
            md5.digest(hash, 0, HASH_SIZE);
        } catch (DigestException e) {
            throw new IllegalStateException("MD5 into a 16-byte buffer", e);
        }
        hashHigh = hashView.getLong(0);
        hashLow = hashView.getLong(8);
    }

    void clear() {
        Arrays.fill(table.array(), (byte) 0);
        entries = 0;
        latestOffset = -1;
    }
}
