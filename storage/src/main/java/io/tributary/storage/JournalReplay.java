package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up after a crash, for the {@link Journal}: after every log has been loaded (its torn tail
 * cut), appends to each the batches the journal holds beyond its end, in journal order, with the
 * truncations in between; rebuilds the producer state of the logs it changed, fsyncs them, and
 * only then starts a new journal (which retires the old files). A log missing from the data
 * directory (its topic deleted, or re-created under a new id) has its entries skipped.
 */
final class JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);

    private record Key(UUID topicId, int partition) {}

    private final Map<Key, Log> logs = new HashMap<>();
    private final Set<Log> changed = new LinkedHashSet<>();
    private final Set<Log> gapped = new HashSet<>();
    private int entries;

    private JournalReplay(Map<String, TopicMetadata> topics, Map<TopicPartitionKey, Log> byName) {
        byName.forEach((k, log) -> {
            TopicMetadata tm = topics.get(k.topic());
            if (tm != null) {
                logs.put(new Key(tm.topicId(), k.partition()), log);
            }
        });
    }

    /**
     * Replays what dataDir's journal holds, then starts the journal and attaches it to every log.
     *
     * @param fileBytes the size at which the journal moves to its next file
     * @param directIo whether to try O_DIRECT | O_DSYNC (else write and fdatasync)
     */
    static Journal recoverAndStart(
            Path dataDir,
            long fileBytes,
            boolean directIo,
            int stagingBytes,
            Map<String, TopicMetadata> topics,
            ConcurrentHashMap<TopicPartitionKey, Log> logs)
            throws IOException {
        Path dir = dataDir.resolve(Journal.DIR_NAME);
        JournalReplay replay = new JournalReplay(topics, logs);
        if (Files.isDirectory(dir)) {
            replay.replayDir(dir);
        }
        replay.syncAll();
        Journal journal = Journal.start(dir, fileBytes, directIo, stagingBytes);
        logs.forEach((k, log) -> {
            TopicMetadata tm = topics.get(k.topic());
            if (tm != null) {
                log.attachJournal(journal, tm.topicId(), k.partition());
            }
        });
        return journal;
    }

    private void replayDir(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + JournalFormat.SUFFIX)) {
            for (Path f : ds) {
                long seq = JournalFormat.seqOf(f, JournalFormat.SUFFIX);
                if (seq >= 0) {
                    files.put(seq, f);
                }
            }
        }
        for (Map.Entry<Long, Path> f : files.entrySet()) {
            if (!replayFile(f.getValue(), f.getKey())) {
                break;
            }
        }
        for (Log log : changed) {
            log.finishReplay();
        }
        if (entries > 0 || !changed.isEmpty()) {
            LOG.info("Journal {}: {} entries read, {} logs extended", dir, entries, changed.size());
        }
    }

    /**
     * fsyncs every log, not only those replay changed: the journal covers only what it is given
     * from now on, so what a crash left unsynced in the page cache must reach the disk first.
     */
    private void syncAll() {
        CompletableFuture<?>[] syncs = logs.values().stream()
                .map(l -> l.fsyncPartitionUpTo(l.logEndOffset()))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(syncs).join();
    }

    /** Replays one file; false when it ended torn, so no later file can hold anything. */
    private boolean replayFile(Path file, long seq) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return true;
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            ByteBuffer b = map.duplicate();
            while (b.hasRemaining()) {
                JournalFormat.Entry e = JournalFormat.read(b, seq);
                if (e == null) {
                    // At a block boundary: this file ends here (a later file may follow a roll).
                    return true;
                }
                apply(e);
                while ((e = JournalFormat.read(b, seq)) != null) {
                    apply(e);
                }
                int next = (int) Math.min(JournalFormat.alignUp(b.position()), size);
                for (int i = b.position(); i < next; i++) {
                    if (b.get(i) != 0) {
                        LOG.warn(
                                "Journal {}: torn entry at byte {}; nothing after it was acknowledged",
                                file,
                                b.position());
                        return false;
                    }
                }
                b.position(next);
            }
            return true;
        }
    }

    private void apply(JournalFormat.Entry e) throws IOException {
        entries++;
        Log log = logs.get(new Key(e.topicId(), e.partition()));
        if (log == null || gapped.contains(log)) {
            return;
        }
        switch (e.type()) {
            case JournalFormat.APPEND -> {
                long end = log.logEndOffset();
                if (!log.replayAppend(e.payload())) {
                    gapped.add(log);
                    LOG.error(
                            "{}: the journal's batches at {} start past the log end {}; the rest of its entries are skipped",
                            log.dir().getFileName(),
                            e.offset(),
                            end);
                } else if (log.logEndOffset() != end) {
                    changed.add(log);
                }
            }
            case JournalFormat.TRUNCATE -> {
                if (log.truncateTo(e.offset())) {
                    changed.add(log);
                }
            }
            case JournalFormat.RESTART -> {
                log.truncateFullyAndStartAt(e.offset());
                changed.add(log);
            }
            default -> throw new IllegalStateException("journal entry type " + e.type());
        }
    }
}
