package io.tributary.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The {@code topic-metadata/<topic>.properties} files of a data directory: each topic's id,
 * partition count and {@code config.*} overrides. A topic exists iff its file exists, so each
 * write is atomic (tmp, fsync, rename, fsync the directory) and is the commit point of a topic
 * change.
 *
 * <p>Threads: changes run under the log manager's monitor; {@link #loadAll} once at start-up.
 */
final class TopicMetadataStore {
    static final String DIR_NAME = "topic-metadata";
    private static final String SUFFIX = ".properties";
    private static final String CONFIG_PREFIX = "config.";

    private final Path dir;
    private final Map<String, String> brokerProps;

    /** @param brokerProps resolve each topic's overrides into its effective config */
    TopicMetadataStore(Path dataDir, Map<String, String> brokerProps) {
        this.dir = dataDir.resolve(DIR_NAME);
        this.brokerProps = brokerProps;
    }

    void createDirectory() throws IOException {
        Files.createDirectories(dir);
    }

    /** Every topic on disk. */
    List<TopicMetadata> loadAll() throws IOException {
        List<TopicMetadata> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : ds) {
                out.add(read(f));
            }
        }
        return out;
    }

    void write(TopicMetadata tm) throws IOException {
        Properties props = new Properties();
        props.setProperty("topic.id", tm.topicId().toString());
        props.setProperty("partitions", String.valueOf(tm.partitions()));
        for (Map.Entry<String, String> e : tm.overrides().entrySet()) {
            props.setProperty(CONFIG_PREFIX + e.getKey(), e.getValue());
        }
        StringWriter w = new StringWriter();
        props.store(w, "Tributary topic " + tm.name());
        StorageFiles.writeAtomically(file(tm.name()), w.toString());
    }

    /** Removes the topic's file durably: the commit point of a delete. */
    void delete(String topic) throws IOException {
        Files.deleteIfExists(file(topic));
        StorageFiles.fsyncDir(dir);
    }

    private Path file(String topic) {
        return dir.resolve(topic + SUFFIX);
    }

    private TopicMetadata read(Path f) throws IOException {
        String n = f.getFileName().toString();
        String name = n.substring(0, n.length() - SUFFIX.length());
        Properties props = new Properties();
        try (Reader r = new StringReader(Files.readString(f, StandardCharsets.UTF_8))) {
            props.load(r);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String k : props.stringPropertyNames()) {
            if (k.startsWith(CONFIG_PREFIX)) {
                overrides.put(k.substring(CONFIG_PREFIX.length()), props.getProperty(k));
            }
        }
        try {
            UUID id = UUID.fromString(props.getProperty("topic.id"));
            int partitions = Integer.parseInt(props.getProperty("partitions"));
            LogConfig config = LogConfig.create(brokerProps, overrides);
            return new TopicMetadata(name, id, partitions, Collections.unmodifiableMap(config.overrides()), config);
        } catch (RuntimeException e) {
            throw new IOException("Corrupt topic file " + f + ": " + e, e);
        }
    }
}
