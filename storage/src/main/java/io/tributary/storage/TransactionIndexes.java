package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The aborted-transaction index of each segment ({@code <base>.txnindex}, Kafka's layout: one
 * 34-byte entry per abort: version int16 0, producerId, firstOffset, lastOffset, lastStableOffset),
 * filed under the segment that holds the ABORT marker. Kept in memory too (aborts are rare), so a
 * read_committed fetch finds the overlapping aborts without touching files.
 *
 * <p>Durability: entries are written without fsync and forced when their segment rolls and at
 * close; after a crash the loader drops every entry from the producer snapshot's offset on and
 * rebuilds them by replaying the markers, so an entry lost, torn or left behind by a truncated
 * tail never survives. A torn or implausible tail of a file is cut at load.
 *
 * <p>Threads: mutations under the owning log's lock; {@link #collect} from fetch threads without it
 * (each segment's entry list is replaced, never changed in place).
 */
final class TransactionIndexes {
    static final String SUFFIX = ".txnindex";
    static final int ENTRY_SIZE = 34;

    private final Path dir;
    private final ConcurrentSkipListMap<Long, List<AbortedTxn>> bySegment = new ConcurrentSkipListMap<>();

    TransactionIndexes(Path dir) {
        this.dir = dir;
    }

    private Path file(long base) {
        return dir.resolve(LogSegment.fileName(base, SUFFIX));
    }

    /**
     * Loads the index files of the live segments. A file whose segment is gone (a cleaner swap
     * that a crash interrupted merged it, or a cut tail removed it) hands its entries to the
     * segment now holding its offsets; replay then drops whatever lies past the log end.
     */
    void load(Collection<Long> bases) throws IOException {
        bySegment.clear();
        ConcurrentSkipListMap<Long, Path> files = new ConcurrentSkipListMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    files.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), p);
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        ConcurrentSkipListMap<Long, Boolean> live = new ConcurrentSkipListMap<>();
        bases.forEach(b -> live.put(b, Boolean.TRUE));
        for (Map.Entry<Long, Path> f : files.entrySet()) {
            List<AbortedTxn> entries = readValid(f.getValue(), f.getKey());
            if (live.containsKey(f.getKey())) {
                bySegment.merge(f.getKey(), entries, TransactionIndexes::concat);
                continue;
            }
            Long owner = live.floorKey(f.getKey());
            Files.deleteIfExists(f.getValue());
            if (owner != null && !entries.isEmpty()) {
                bySegment.merge(owner, entries, TransactionIndexes::concat);
            }
        }
        for (Map.Entry<Long, List<AbortedTxn>> e : bySegment.entrySet()) {
            rewrite(e.getKey(), e.getValue());
        }
    }

    private static List<AbortedTxn> concat(List<AbortedTxn> a, List<AbortedTxn> b) {
        List<AbortedTxn> out = new ArrayList<>(a);
        out.addAll(b);
        out.sort((x, y) -> Long.compare(x.lastOffset(), y.lastOffset()));
        return List.copyOf(out);
    }

    /** The whole, plausible entries of a file; stops at the first torn or garbage one. */
    private static List<AbortedTxn> readValid(Path p, long base) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
        List<AbortedTxn> out = new ArrayList<>();
        long lastSeen = -1;
        while (b.remaining() >= ENTRY_SIZE) {
            short version = b.getShort();
            AbortedTxn t = new AbortedTxn(b.getLong(), b.getLong(), b.getLong(), b.getLong());
            // Zeroed pages after a crash decode as version 0 with firstOffset == lastOffset.
            if (version != 0
                    || t.producerId() < 0
                    || t.firstOffset() < 0
                    || t.lastOffset() <= t.firstOffset()
                    || t.lastOffset() < base
                    || t.lastOffset() < lastSeen) {
                break;
            }
            lastSeen = t.lastOffset();
            out.add(t);
        }
        return List.copyOf(out);
    }

    /** Files the abort whose marker went into the segment at segmentBase. */
    void append(long segmentBase, AbortedTxn txn) throws IOException {
        ByteBuffer b = encode(List.of(txn));
        try (FileChannel ch =
                FileChannel.open(file(segmentBase), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long pos = ch.size() - ch.size() % ENTRY_SIZE;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
        List<AbortedTxn> now = new ArrayList<>(bySegment.getOrDefault(segmentBase, List.of()));
        now.add(txn);
        bySegment.put(segmentBase, List.copyOf(now));
    }

    private static ByteBuffer encode(List<AbortedTxn> txns) {
        ByteBuffer b = ByteBuffer.allocate(txns.size() * ENTRY_SIZE);
        for (AbortedTxn t : txns) {
            b.putShort((short) 0)
                    .putLong(t.producerId())
                    .putLong(t.firstOffset())
                    .putLong(t.lastOffset())
                    .putLong(t.lastStableOffset());
        }
        return b.flip();
    }

    /** Replaces a segment's file by exactly these entries (truncation and load; rare). */
    private void rewrite(long base, List<AbortedTxn> entries) throws IOException {
        if (entries.isEmpty()) {
            bySegment.remove(base);
            Files.deleteIfExists(file(base));
            return;
        }
        ByteBuffer b = encode(entries);
        try (FileChannel ch = FileChannel.open(file(base), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            long pos = 0;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
        bySegment.put(base, List.copyOf(entries));
    }

    /** Drops every entry whose marker is at or above offset (truncation, recovery replay). */
    void truncateFrom(long offset) throws IOException {
        for (Map.Entry<Long, List<AbortedTxn>> e : new ArrayList<>(bySegment.entrySet())) {
            List<AbortedTxn> kept = new ArrayList<>();
            for (AbortedTxn t : e.getValue()) {
                if (t.lastOffset() < offset) {
                    kept.add(t);
                }
            }
            if (kept.size() != e.getValue().size()) {
                rewrite(e.getKey(), kept);
            }
        }
    }

    /** Forces a segment's file to disk (when the segment rolls). */
    void flush(long base) throws IOException {
        if (bySegment.containsKey(base) && Files.exists(file(base))) {
            try (FileChannel ch = FileChannel.open(file(base), StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    void flushAll() throws IOException {
        for (long base : bySegment.keySet()) {
            flush(base);
        }
    }

    /** The segment was deleted (retention, truncation): its index goes with it. */
    void removeSegment(long base) throws IOException {
        bySegment.remove(base);
        Files.deleteIfExists(file(base));
    }

    /**
     * A cleaned segment at newBase replaced the segments at oldBases (newBase among them); the
     * entries whose ABORT markers the cleaner removed go (a read_committed consumer would
     * otherwise skip that producer's later data, waiting for a marker that no longer exists).
     */
    void merge(List<Long> oldBases, long newBase, Set<Long> droppedMarkers) throws IOException {
        List<AbortedTxn> all = new ArrayList<>();
        for (long b : oldBases) {
            for (AbortedTxn t : bySegment.getOrDefault(b, List.of())) {
                if (!droppedMarkers.contains(t.lastOffset())) {
                    all.add(t);
                }
            }
        }
        for (long b : oldBases) {
            if (b != newBase) {
                removeSegment(b);
            }
        }
        all.sort((x, y) -> Long.compare(x.lastOffset(), y.lastOffset()));
        if (!all.equals(bySegment.getOrDefault(newBase, List.of()))) {
            rewrite(newBase, all);
        }
    }

    /**
     * Keeps only the entries that pass (at load: those whose ABORT marker is still in the log, so
     * a crash between a cleaner's swap and its index update leaves no entry without its marker).
     */
    void retainIf(Predicate<AbortedTxn> keep) throws IOException {
        for (Map.Entry<Long, List<AbortedTxn>> e : new ArrayList<>(bySegment.entrySet())) {
            List<AbortedTxn> kept = e.getValue().stream().filter(keep).toList();
            if (kept.size() != e.getValue().size()) {
                rewrite(e.getKey(), kept);
            }
        }
    }

    void clear() throws IOException {
        for (long base : new ArrayList<>(bySegment.keySet())) {
            removeSegment(base);
        }
    }

    /**
     * The aborted transactions that overlap [fetchOffset, upperBound): marker at or after
     * fetchOffset and first offset below upperBound, oldest marker first. Searches the segments
     * from the one holding fetchOffset and stops at an abort whose last stable offset reaches
     * upperBound, as Kafka does.
     */
    List<AbortedTxn> collect(long fetchOffset, long upperBound) {
        List<AbortedTxn> out = new ArrayList<>();
        Long from = bySegment.floorKey(fetchOffset);
        Map<Long, List<AbortedTxn>> tail = from == null ? bySegment : bySegment.tailMap(from, true);
        for (List<AbortedTxn> entries : tail.values()) {
            for (AbortedTxn t : entries) {
                if (t.lastOffset() >= fetchOffset && t.firstOffset() < upperBound) {
                    out.add(t);
                }
                if (t.lastStableOffset() >= upperBound) {
                    return out;
                }
            }
        }
        return out;
    }

    /** All entries, oldest first (tests, the cleaner). */
    List<AbortedTxn> all() {
        List<AbortedTxn> out = new ArrayList<>();
        bySegment.values().forEach(out::addAll);
        return out;
    }
}
