package io.tributary.bench;

import java.util.SplittableRandom;

/**
 * The records every broker receives, identical for the same seed and size: record {@code i}'s
 * value starts with {@code i} as 8 big-endian bytes (so a reader can prove each record arrived
 * exactly once) followed by text-like filler cut from a fixed buffer of seeded pseudo-words, so
 * compression codecs see realistic, compressible data rather than noise. Keys are null.
 *
 * <p>Immutable after construction; {@link #value(long)} is safe from any thread.
 */
final class DataSet {
    private static final int BUFFER_BYTES = 1 << 20;

    private final int recordSize;
    private final byte[] text;

    DataSet(long seed, int recordSize) {
        if (recordSize < Long.BYTES) {
            throw new IllegalArgumentException("--record-size must be at least 8 (it carries the sequence number)");
        }
        this.recordSize = recordSize;
        this.text = textLike(seed, Math.max(BUFFER_BYTES, recordSize * 2));
    }

    int recordSize() {
        return recordSize;
    }

    /** A fresh array, as an application would hand the producer. */
    byte[] value(long i) {
        byte[] value = new byte[recordSize];
        long v = i;
        for (int b = 7; b >= 0; b--) {
            value[b] = (byte) v;
            v >>>= 8;
        }
        int window = text.length - recordSize;
        int from = (int) Math.floorMod(i * 7919L, (long) window);
        System.arraycopy(text, from, value, Long.BYTES, recordSize - Long.BYTES);
        return value;
    }

    /** The sequence number {@link #value(long)} wrote, or -1 if the value is not one of ours. */
    static long sequenceOf(byte[] value) {
        if (value == null || value.length < Long.BYTES) {
            return -1;
        }
        long v = 0;
        for (int b = 0; b < Long.BYTES; b++) {
            v = (v << 8) | (value[b] & 0xff);
        }
        return v;
    }

    private static byte[] textLike(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] words = new byte[512][];
        for (int w = 0; w < words.length; w++) {
            words[w] = new byte[2 + random.nextInt(8)];
            for (int c = 0; c < words[w].length; c++) {
                words[w][c] = (byte) ('a' + random.nextInt(26));
            }
        }
        byte[] out = new byte[size];
        int pos = 0;
        while (pos < size) {
            // the smaller of two draws skews toward common words, as natural text does
            byte[] word = words[Math.min(random.nextInt(words.length), random.nextInt(words.length))];
            for (int c = 0; c < word.length && pos < size; c++) {
                out[pos++] = word[c];
            }
            if (pos < size) {
                out[pos++] = ' ';
            }
        }
        return out;
    }
}
