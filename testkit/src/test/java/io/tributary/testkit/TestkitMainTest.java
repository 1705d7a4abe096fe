package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 2: the main other languages start: first stdout line is the address of a broker
 * that serves clients with the given settings; closing stdin (--stop-on-eof) ends it cleanly.
 */
class TestkitMainTest {
    @Test
    void printsTheAddressServesClientsAndStopsWhenStdinCloses() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        TestkitMain.class.getName(),
                        "--stop-on-eof",
                        "num.partitions=3")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String address = out.readLine();
            assertThat(address).matches("127\\.0\\.0\\.1:\\d+");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
                // -1 partitions: the broker's num.partitions, which the command line set to 3.
                admin.createTopics(List.of(new NewTopic("from-python", Optional.empty(), Optional.empty())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                TopicDescription d = admin.describeTopics(List.of("from-python"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("from-python");
                assertThat(d.partitions()).hasSize(3);
            }
            p.getOutputStream().close();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
