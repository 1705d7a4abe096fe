package io.tributary.examples;

import io.tributary.client.common.TopicPartition;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Stands in for the database of the notes' "offsets kept in another system" (C9): a file of
 * {@code topic-partition=offset} lines. Each {@link #save} replaces the file atomically, so a
 * crash leaves either the old or the new offsets, never half of each; in a real application the
 * offsets would be written in the same database transaction as the processing results.
 * Used by one thread (the consumer's).
 */
public final class FileOffsetStore {
    private final Path file;
    private final Map<TopicPartition, Long> offsets = new TreeMap<>();

    public FileOffsetStore(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            p.forEach((k, v) -> offsets.put(parse(k.toString()), Long.parseLong(v.toString())));
        }
    }

    /** The next offset to read for {@code tp}, if one was stored. */
    public OptionalLong offset(TopicPartition tp) {
        Long o = offsets.get(tp);
        return o == null ? OptionalLong.empty() : OptionalLong.of(o);
    }

    /** Records that {@code tp} should continue at {@code nextOffset}; call {@link #save} to persist. */
    public void put(TopicPartition tp, long nextOffset) {
        offsets.put(tp, nextOffset);
    }

    /** Writes all offsets (temp file + atomic rename). */
    public void save() {
        Properties p = new Properties();
        offsets.forEach((tp, o) -> p.setProperty(tp.toString(), Long.toString(o)));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "next offset to read per topic-partition");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<TopicPartition, Long> snapshot() {
        return Map.copyOf(offsets);
    }

    /** "topic-3" back to a TopicPartition; topics may themselves contain dashes. */
    private static TopicPartition parse(String s) {
        int dash = s.lastIndexOf('-');
        return new TopicPartition(s.substring(0, dash), Integer.parseInt(s.substring(dash + 1)));
    }
}
