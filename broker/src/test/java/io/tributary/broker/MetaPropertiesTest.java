package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's identity file: written by hand (no Properties.store), read back as a properties file. */
class MetaPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void aNewDirectoryGetsAnIdentityThatLaterStartsReadBack() throws IOException {
        MetaProperties created = MetaProperties.loadOrCreate(dir, 3);
        assertThat(created.clusterId()).hasSize(22).doesNotStartWith("-");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(MetaProperties.FILE_NAME))) {
            p.load(in);
        }
        assertThat(p).containsEntry("version", "1").containsEntry("cluster.id", created.clusterId());
        assertThat(p).containsEntry("node.id", "3");

        MetaProperties again = MetaProperties.loadOrCreate(dir, 3);
        assertThat(again.clusterId()).isEqualTo(created.clusterId());
        assertThat(again.nodeId()).isEqualTo(3);
    }

    @Test
    void anotherNodeIdIsRefusedNamingBoth() throws IOException {
        MetaProperties.loadOrCreate(dir, 1);
        assertThatThrownBy(() -> MetaProperties.loadOrCreate(dir, 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("node.id 2 does not match node.id 1");
    }
}
