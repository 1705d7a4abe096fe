package io.tributary.interop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.Main;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.Target;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 13 "Bad input": one line naming the problem, a non-zero exit code, nothing changed. */
class CliBadInputTest {
    static Stream<Target> targets() {
        return Target.selected();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aLineWithoutTheKeySeparatorProducesNothing(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-bad");
        KafkaClients.createTopic(b, topic, 1);
        Cli p = Cli.withInput("k1:v1\nno separator\n", "produce", topic, "-b", b, "-k", ":");
        assertThat(p.exit()).isEqualTo(1);
        assertThat(p.err().lines()).containsExactly("tributary: line 2 has no key separator ':'; nothing was produced");
        Cli c = Cli.run("consume", topic, "-b", b, "--from-beginning", "-e");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void unknownTopicsAndMalformedTimesAreNamed(Target target) {
        String b = target.shared().bootstrapServers();
        String missing = KafkaClients.uniqueTopic("cli-missing");
        Cli p = Cli.withInput("x\n", "produce", missing, "-b", b);
        assertThat(p.exit()).isEqualTo(1);
        assertThat(p.err().lines()).containsExactly("tributary: unknown topic: " + missing);
        Cli c = Cli.run("consume", missing, "-b", b, "-e");
        assertThat(c.err().lines()).containsExactly("tributary: unknown topic: " + missing);
        Cli t = Cli.run("consume", missing, "-b", b, "--from-timestamp", "yesterday");
        assertThat(t.exit()).isEqualTo(1);
        assertThat(t.err()).startsWith("tributary: malformed time 'yesterday'");
        // Nothing was created on the way.
        Cli again = Cli.run("consume", missing, "-b", b, "-e");
        assertThat(again.err()).contains("unknown topic");
    }

    @Test
    void anUnreachableBrokerIsNamedWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Cli c = Cli.run("consume", "t", "-b", "127.0.0.1:" + port, "--timeout", "1500", "-e");
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err().lines())
                .containsExactly("tributary: cannot reach brokers at 127.0.0.1:" + port + " within 1500 ms");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void theBrokersComeFromTributaryBrokersWhenNotGiven(Target target) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-env");
        KafkaClients.createTopic(b, topic, 1);
        Main.environment(Map.of("TRIBUTARY_BROKERS", b));
        try {
            assertThat(Cli.withInput("hello\n", "produce", topic).exit()).isZero();
            assertThat(Cli.run("consume", topic, "--from-beginning", "-e").out())
                    .isEqualTo("hello\n");
        } finally {
            Main.environment(System.getenv());
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void theCommandConfigFileIsReadAndABadOneIsNamed(Target target, @TempDir Path dir) throws Exception {
        String b = target.shared().bootstrapServers();
        String topic = KafkaClients.uniqueTopic("cli-config");
        KafkaClients.createTopic(b, topic, 1);
        Path good = Files.writeString(dir.resolve("good.properties"), "client.id=from-file\nmax.poll.records=1\n");
        assertThat(Cli.withInput("v\n", "produce", topic, "-b", b, "--command-config", good.toString())
                        .exit())
                .isZero();
        Cli c = Cli.run("consume", topic, "-b", b, "--command-config", good.toString(), "--from-beginning", "-e");
        assertThat(c.out()).isEqualTo("v\n");
        Path bad = Files.writeString(dir.resolve("bad.properties"), "max.poll.records=many\n");
        Cli b2 = Cli.run("consume", topic, "-b", b, "--command-config", bad.toString(), "-e");
        assertThat(b2.exit()).isEqualTo(1);
        assertThat(b2.err().lines())
                .singleElement()
                .asString()
                .startsWith("tributary: bad client configuration:")
                .contains("max.poll.records");
        Cli missing = Cli.run(
                "consume",
                topic,
                "-b",
                b,
                "--command-config",
                dir.resolve("none").toString());
        assertThat(missing.err().lines())
                .containsExactly("tributary: command config file not found: " + dir.resolve("none"));
    }

    @Test
    void usageErrorsExitWithTwoAndVersionAndCompletionWork() {
        assertThat(Cli.run("consume").exit()).isEqualTo(2);
        assertThat(Cli.run("produce", "t", "--rate", "fast").exit()).isEqualTo(2);
        Cli v = Cli.run("version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("tributary 0.1.0");
        Cli completion = Cli.run("generate-completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F", "tributary");
    }
}
