package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.config.BrokerConfig;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The one option model behind BrokerMain and the cli's {@code tributary broker}. */
class BrokerOptionsTest {
    @TempDir
    Path dir;

    @Test
    void aDefaultDataDirAppliesOnlyWhenNothingNamesOne() throws Exception {
        Path fallback = dir.resolve("fallback");
        assertThat(BrokerOptions.parse().toConfig(fallback).logDir()).isEqualTo(fallback);
        assertThat(BrokerOptions.parse("--data-dir", dir.toString())
                        .toConfig(fallback)
                        .logDir())
                .isEqualTo(dir);
        assertThat(BrokerOptions.parse("--override", "log.dirs=" + dir)
                        .toConfig(fallback)
                        .logDir())
                .isEqualTo(dir);
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "log.dir=" + dir + "\n");
        assertThat(BrokerOptions.parse("--config=" + file).toConfig(fallback).logDir())
                .isEqualTo(dir);
    }

    @Test
    void overridesAreTrimmedAndKeepEverythingAfterTheFirstEquals() throws Exception {
        BrokerConfig c = BrokerOptions.parse(
                        "--override", " num.partitions = 7 ", "--override=listeners=PLAINTEXT://:0")
                .toConfig();
        assertThat(c.numPartitions()).isEqualTo(7);
        assertThat(c.listeners().get(0).port()).isZero();
        assertThatThrownBy(() -> BrokerOptions.parse("--override", "novalue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--override");
    }

    @Test
    void portReplacesOnlyTheFirstListenerPortOfTheConfigFile() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "listeners=SASL_PLAINTEXT://127.0.0.1:9093,PLAINTEXT://:9092\n");
        BrokerConfig c =
                BrokerOptions.parse("--config", file.toString(), "--port", "0").toConfig();
        assertThat(c.listeners())
                .extracting(BrokerConfig.Endpoint::toString)
                .containsExactly("SASL_PLAINTEXT://127.0.0.1:0", "PLAINTEXT://:9092");
        assertThat(BrokerOptions.parse("--port", "19092").toConfig().listeners())
                .extracting(BrokerConfig.Endpoint::toString)
                .containsExactly("PLAINTEXT://:19092");
        assertThat(BrokerOptions.usage("x")).contains("replaces the port of the first");
    }

    @Test
    void usageNamesEveryOption() {
        assertThat(BrokerOptions.usage("BrokerMain"))
                .contains("BrokerMain", "--config", "--data-dir", "--port", "--override");
    }

    /** Issue 16: the broker's start-up parser without picocli knows exactly the declared options. */
    @Test
    void theQuickParserKnowsEveryDeclaredOptionAndAgreesWithPicocli() throws Exception {
        List<String> declared = new ArrayList<>();
        for (Field f : BrokerOptions.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                declared.addAll(List.of(o.names()));
            }
        }
        assertThat(BrokerOptions.quickNames()).containsExactlyInAnyOrderElementsOf(declared);
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "listeners=PLAINTEXT://127.0.0.1:9093\n");
        String[] args = {
            "--config",
            file.toString(),
            "--port=0",
            "--data-dir",
            dir.toString(),
            "--override",
            " num.partitions = 7 ",
            "--override=a.b=c=d",
            "--add-scram",
            "SCRAM-SHA-256=[name=alice,password=alice-secret]"
        };
        BrokerOptions quick = BrokerOptions.parseQuick(args);
        assertThat(quick).isNotNull();
        BrokerOptions picocli = new BrokerOptions();
        new CommandLine(picocli).parseArgs(args);
        assertThat(quick).usingRecursiveComparison().isEqualTo(picocli);
        assertThat(quick.toConfig().listeners())
                .extracting(BrokerConfig.Endpoint::toString)
                .containsExactly("PLAINTEXT://127.0.0.1:0");
        for (String[] other : List.of(
                new String[] {"--help"},
                new String[] {"--port", "x"},
                new String[] {"--override", "novalue"},
                new String[] {"--data-dir"},
                new String[] {"--unknown=1"})) {
            assertThat(BrokerOptions.parseQuick(other))
                    .as(String.join(" ", other))
                    .isNull();
        }
    }
}
