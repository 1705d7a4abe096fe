package io.tributary.interop.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.tools.DeleteRecordsCommand;
import org.apache.kafka.tools.GetOffsetShell;
import org.apache.kafka.tools.LogDirsCommand;

/**
 * Apache's {@code kafka-delete-records.sh}, {@code kafka-get-offsets.sh} and {@code kafka-log-dirs.sh} run in this
 * JVM as their scripts run them (the tools' own option parsing and AdminClient), minus the {@code System.exit}: the
 * exit code is asserted and what they print to stdout is returned. Called from one test thread at a time (stdout is
 * swapped while a tool runs).
 */
final class ApacheTools {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApacheTools() {}

    /** kafka-delete-records.sh --bootstrap-server b --offset-json-file (a file holding offsetsJson). */
    static String deleteRecords(String bootstrap, Path dir, String offsetsJson) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "offsets-", ".json"), offsetsJson);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            DeleteRecordsCommand.execute(
                    new String[] {"--bootstrap-server", bootstrap, "--offset-json-file", file.toString()}, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** kafka-get-offsets.sh --bootstrap-server b --topic t --time spec: the offset it prints for partition 0. */
    static long getOffset(String bootstrap, String topic, String time) throws Exception {
        String out = run(GetOffsetShell.class, "--bootstrap-server", bootstrap, "--topic", topic, "--time", time);
        for (String line : out.split("\n")) {
            if (line.startsWith(topic + ":0:")) {
                String offset = line.substring((topic + ":0:").length()).trim();
                return offset.isEmpty() ? -1 : Long.parseLong(offset);
            }
        }
        throw new AssertionError("GetOffsetShell --time " + time + " printed no offset for " + topic + "-0: " + out);
    }

    /** kafka-log-dirs.sh --describe --topic-list t: the size of partition 0 in the JSON it prints. */
    static long logDirSize(String bootstrap, String topic) throws Exception {
        String out = run(LogDirsCommand.class, "--bootstrap-server", bootstrap, "--describe", "--topic-list", topic);
        String json = out.lines()
                .filter(l -> l.startsWith("{"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("LogDirsCommand printed no JSON: " + out));
        JsonNode root = JSON.readTree(json);
        assertThat(root.get("version").asInt()).isEqualTo(1);
        JsonNode dirs = root.get("brokers").get(0).get("logDirs");
        assertThat(dirs).as(json).hasSize(1);
        assertThat(dirs.get(0).get("error").isNull()).as(json).isTrue();
        for (JsonNode p : dirs.get(0).get("partitions")) {
            if (p.get("partition").asText().equals(topic + "-0")) {
                assertThat(p.get("offsetLag").asLong()).isZero();
                assertThat(p.get("isFuture").asBoolean()).isFalse();
                return p.get("size").asLong();
            }
        }
        throw new AssertionError("LogDirsCommand listed no " + topic + "-0: " + json);
    }

    /** The tool's package-private {@code mainNoExit}: what {@code main} runs before {@code Exit.exit}. */
    private static String run(Class<?> tool, String... args) throws Exception {
        Method main = tool.getDeclaredMethod("mainNoExit", String[].class);
        main.setAccessible(true);
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            exit = (int) main.invoke(null, (Object) args);
        } finally {
            System.setOut(original);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit)
                .as("%s exit code; printed: %s", tool.getSimpleName(), printed)
                .isZero();
        return printed;
    }
}
