package io.tributary.interop.security;

import io.tributary.interop.support.ExternalCommand;
import io.tributary.interop.support.NewLibrdkafka;
import io.tributary.interop.support.SecureBrokers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code kcat} against a {@link SecureBrokers} listener, with the stock librdkafka (2.0.2)
 * or, given a lib directory, librdkafka {@value NewLibrdkafka#VERSION} through {@code LD_LIBRARY_PATH}.
 * Immutable; each call runs one child process to completion with a deadline.
 */
record Kcat(Optional<Path> libDir) {
    static final String KCAT = "/usr/bin/kcat";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static Kcat stock() {
        return new Kcat(Optional.empty());
    }

    static Kcat withLibrary(Path libDir) {
        return new Kcat(Optional.of(libDir));
    }

    /**
     * The {@code -X} settings for {@code listener} (its name is its security protocol): the test CA
     * on TLS listeners (unless {@code trustCa} is false: then librdkafka's default, the system's CAs),
     * the mechanism and credentials on SASL ones.
     */
    static List<String> security(String listener, String mechanism, String user, String password, boolean trustCa) {
        List<String> x = new ArrayList<>(List.of("-X", "security.protocol=" + listener));
        if (listener.contains("SSL") && trustCa) {
            x.addAll(List.of("-X", "ssl.ca.location=" + SecureBrokers.certificates().caCert));
        }
        if (listener.startsWith("SASL")) {
            x.addAll(List.of(
                    "-X", "sasl.mechanism=" + mechanism,
                    "-X", "sasl.username=" + user,
                    "-X", "sasl.password=" + password));
        }
        return x;
    }

    ExternalCommand.Result run(List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ExternalCommand.requireExecutable(KCAT));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        libDir.ifPresent(dir -> NewLibrdkafka.applyTo(pb, dir));
        return ExternalCommand.run(pb, stdin.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    /** Produces {@code lines} (one message each) and fails unless kcat exits with 0. */
    void produce(String bootstrap, String topic, List<String> security, List<String> lines)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-P", "-b", bootstrap, "-t", topic));
        args.addAll(security);
        run(args, String.join("\n", lines) + "\n").assertSuccess();
    }

    /** Consumes {@code topic} from the beginning to its end and returns the message values. */
    List<String> consumeAll(String bootstrap, String topic, List<String> security)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q"));
        args.addAll(security);
        return run(args, "").assertSuccess().stdout().lines().toList();
    }

    /** The librdkafka version {@code kcat -V} reports with this library. */
    String librdkafkaVersion() throws IOException, InterruptedException {
        ExternalCommand.Result r = run(List.of("-V"), "").assertSuccess();
        Matcher m = Pattern.compile("librdkafka (\\S+)").matcher(r.stdout() + r.stderr());
        if (!m.find()) {
            throw new AssertionError("no librdkafka version in kcat -V output:\n" + r.stdout());
        }
        return m.group(1);
    }

    /** {@code kcat -L} (metadata) with a metadata timeout of {@code seconds}; the caller checks the result. */
    ExternalCommand.Result metadata(String bootstrap, List<String> security, int seconds)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-L", "-b", bootstrap, "-m", Integer.toString(seconds)));
        args.addAll(security);
        return run(args, "");
    }
}
