package io.tributary.interop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 13 item 1: {@code tributary topics create|list|describe|alter|delete} against both brokers. */
class CliTopicsTest {
    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createDescribeAlterListAndDeleteATopic(Target target) {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-topics");

        Cli c = Cli.run("topics", "create", topic, "-p", "2", "-c", "retention.ms=60000", "-b", b);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("Created topic " + topic + ".\n");

        Cli again = Cli.run("topics", "create", topic, "-p", "2", "-b", b);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().lines()).hasSize(1).first().asString().startsWith("tributary: " + topic + ": ");

        Cli d = Cli.run("topics", "describe", topic, "-b", b);
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).contains("Topic: " + topic + "  TopicId: ").contains("PartitionCount: 2");
        assertThat(d.out()).contains("Configs: retention.ms=60000\n");
        assertThat(d.out()
                        .lines()
                        .filter(l -> l.matches("[01]\\s+\\d+\\s+\\d+\\s+\\d+"))
                        .count())
                .isEqualTo(2);

        Cli alter = Cli.run(
                "topics",
                "alter",
                topic,
                "-p",
                "3",
                "-c",
                "cleanup.policy=compact",
                "--delete-config",
                "retention.ms",
                "-b",
                b);
        assertThat(alter.exit()).as(alter.err()).isZero();
        Cli dj = Cli.run("topics", "describe", topic, "--format", "json", "-b", b);
        assertThat(dj.exit()).as(dj.err()).isZero();
        assertThat(dj.out())
                .startsWith("{\"topic\":\"" + topic + "\",\"topic_id\":\"")
                .contains("{\"partition\":2,\"leader\":")
                .endsWith(",\"configs\":{\"cleanup.policy\":\"compact\"}}\n");

        Cli list = Cli.run("topics", "list", "--format", "json", "-b", b);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines())
                .anySatisfy(l -> assertThat(l).startsWith("{\"topic\":\"" + topic + "\",\"partitions\":3,"));
        Cli table = Cli.run("topics", "list", "-b", b);
        assertThat(table.out().lines()).first().asString().startsWith("TOPIC");
        assertThat(table.out().lines()).anySatisfy(l -> assertThat(l).matches(topic + "\\s+3\\s+\\S+"));

        Cli del = Cli.run("topics", "delete", topic, "-b", b);
        assertThat(del.exit()).as(del.err()).isZero();
        Cli gone = Cli.run("topics", "describe", topic, "-b", b);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err().lines()).containsExactly("tributary: unknown topic: " + topic);
    }

    @Test
    void anUnreachableBrokerIsNamedWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        for (String[] cmd : new String[][] {{"topics", "list"}, {"groups", "list"}, {"groups", "describe", "g"}}) {
            String[] args = Stream.concat(Stream.of(cmd), Stream.of("-b", "127.0.0.1:" + port, "--timeout", "1500"))
                    .toArray(String[]::new);
            Cli c = Cli.run(args);
            assertThat(c.exit()).as(String.join(" ", cmd)).isEqualTo(1);
            assertThat(c.err().lines())
                    .containsExactly("tributary: cannot reach brokers at 127.0.0.1:" + port + " within 1500 ms");
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void badInputIsOneLineAndChangesNothing(Target target) {
        String b = target.shared().bootstrapServers();
        String missing = KafkaClients.uniqueTopic("cli-topics-missing");
        Cli alter = Cli.run("topics", "alter", missing, "-p", "3", "-b", b);
        assertThat(alter.exit()).isEqualTo(1);
        assertThat(alter.err().lines()).containsExactly("tributary: unknown topic: " + missing);
        Cli del = Cli.run("topics", "delete", missing, "-b", b);
        assertThat(del.err().lines()).containsExactly("tributary: unknown topic: " + missing);
        Cli bad = Cli.run("topics", "create", missing, "-p", "1", "-c", "novalue", "-b", b);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().lines()).containsExactly("tributary: malformed config 'novalue' (expected key=value)");
        assertThat(Cli.run("topics", "describe", missing, "-b", b).exit()).isEqualTo(1);
        Cli usage = Cli.run("topics", "create", missing, "-b", b);
        assertThat(usage.exit()).isEqualTo(2);
    }
}
