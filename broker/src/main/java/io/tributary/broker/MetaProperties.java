package io.tributary.broker;

import io.tributary.protocol.Uuids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The data directory's identity file, meta.properties, as Kafka writes it: version, cluster.id,
 * node.id. Created on first start; a later start with a different node.id fails rather than
 * silently serving another broker's data. Used once at start-up by the starting thread.
 */
public final class MetaProperties {
    public static final String FILE_NAME = "meta.properties";

    private final String clusterId;
    private final int nodeId;

    private MetaProperties(String clusterId, int nodeId) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
    }

    public String clusterId() {
        return clusterId;
    }

    public int nodeId() {
        return nodeId;
    }

    /** Reads meta.properties from {@code dir}, creating it (with a new cluster id) if missing. */
    public static MetaProperties loadOrCreate(Path dir, int nodeId) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            String clusterId = p.getProperty("cluster.id");
            String storedNode = p.getProperty("node.id");
            if (clusterId == null || storedNode == null) {
                throw new IOException(file + " lacks cluster.id or node.id");
            }
            int stored = Integer.parseInt(storedNode.trim());
            if (stored != nodeId) {
                throw new IOException("node.id " + nodeId + " does not match node.id " + stored + " stored in " + file);
            }
            return new MetaProperties(clusterId.trim(), stored);
        }
        String clusterId = newClusterId();
        // Written by hand, not Properties.store: its date comment (Date.toString) loaded the time zone
        // and locale data on a fresh broker's start-up path. The values need no escaping (a URL-safe
        // base64 id and a number); Properties.load reads the file back.
        String content =
                "#Tributary broker identity\nversion=1\ncluster.id=" + clusterId + "\nnode.id=" + nodeId + "\n";
        writeAtomically(dir, FILE_NAME, out -> out.write(content.getBytes(StandardCharsets.ISO_8859_1)));
        return new MetaProperties(clusterId, nodeId);
    }

    /** A random id printed as Kafka prints its Uuids (URL-safe base64, never starting with '-'). */
    static String newClusterId() {
        return Uuids.toBase64(Uuids.random());
    }

    /** Writes via a temp file, fsync and rename, so a crash leaves the old or the new file. */
    public static void writeAtomically(Path dir, String name, IoWriter writer) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writer.write(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a file's content. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }
}
