package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import io.tributary.broker.config.SecurityProtocol;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.security.ScramUserSpec;
import io.tributary.broker.security.SecurityExtension;
import io.tributary.broker.txn.TransactionCoordinatorExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry point over {@link BrokerOptions} ({@code --config FILE}, {@code --data-dir
 * DIR}, {@code --port N}, {@code --override key=value}, repeatable), the same options as the
 * cli's {@code tributary broker}; the crash tests launch it as a child JVM. Starts the broker with
 * the group coordinator. Prints {@code bootstrap.servers=HOST:PORT} once
 * listening and shuts down gracefully on SIGTERM/SIGINT through a shutdown hook.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) {
        BrokerConfig config;
        List<ScramUserSpec> users;
        try {
            BrokerOptions options = BrokerOptions.parse(args);
            config = options.toConfig();
            users = options.scramUsers();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("tributary broker: " + e.getMessage());
            System.err.print(BrokerOptions.usage("BrokerMain"));
            System.exit(2);
            return;
        }
        System.exit(run(config, users));
    }

    /** Starts the broker, prints how to connect and blocks until the JVM is asked to stop. */
    public static int run(BrokerConfig config) {
        return run(config, List.of());
    }

    /** As {@link #run(BrokerConfig)}, first creating the {@code --add-scram} users. */
    public static int run(BrokerConfig config, List<ScramUserSpec> scramUsers) {
        TributaryBroker broker;
        try {
            GroupCoordinatorExtension groups = new GroupCoordinatorExtension();
            broker = TributaryBroker.start(
                    config, groups, new TransactionCoordinatorExtension(groups), new SecurityExtension(scramUsers));
        } catch (ConfigException e) {
            System.err.println("tributary broker: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("tributary broker: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "tributary-shutdown"));
        System.out.println("Tributary broker started" + startupTime() + ". Connect with bootstrap.servers="
                + broker.bootstrapServers());
        for (BrokerConfig.Endpoint l : config.listeners()) {
            if (config.listeners().size() > 1 || l.securityProtocol() != SecurityProtocol.PLAINTEXT) {
                System.out.println("  listener " + l.listenerName() + ": " + broker.bootstrapServers(l.listenerName())
                        + " (security.protocol=" + l.securityProtocol() + ")");
            }
        }
        System.out.println("Data directory: " + broker.dataDir());
        BrokerConfig.Endpoint first = config.listeners().get(0);
        String security = switch (first.securityProtocol()) {
            case PLAINTEXT -> "";
            case SSL -> " -X security.protocol=SSL -X ssl.ca.location=CA.pem";
            case SASL_PLAINTEXT, SASL_SSL ->
                " -X security.protocol=" + first.securityProtocol()
                        + " -X sasl.mechanism=SCRAM-SHA-256 -X sasl.username=USER -X sasl.password=PASSWORD"
                        + (first.securityProtocol().tls() ? " -X ssl.ca.location=CA.pem" : "");
        };
        System.out.println("Try: kcat -b " + broker.bootstrapServers() + security
                + " -L    (Ctrl-C or SIGTERM stops the broker cleanly)");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * " in N ms" since the process started (for {@code bin/tributary}, which execs java, that includes the
     * launcher's own check), or "" where the OS does not say when that was. On Linux it is read from
     * /proc (the process's start in clock ticks against the system's uptime, both to 10 ms):
     * {@code ProcessHandle}'s start instant adds the boot time, which /proc/stat gives in whole seconds,
     * so it was up to a second off.
     */
    static String startupTime() {
        long ms = procStartupMillis();
        if (ms >= 0) {
            return " in " + ms + " ms";
        }
        return ProcessHandle.current()
                .info()
                .startInstant()
                .map(start -> " in " + Duration.between(start, Instant.now()).toMillis() + " ms")
                .orElse("");
    }

    /** Milliseconds since this process started from /proc, or -1 where that cannot be read. */
    static long procStartupMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // Fields after the command name, which may hold spaces and ends with the last ')': the 3rd field
            // (state) is index 0, so the 22nd (starttime, clock ticks since boot) is index 19.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]);
            String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
            double upSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            // USER_HZ is 100 on every Linux the JDK supports (the kernel's ABI, not its tick rate).
            long ms = Math.round(upSeconds * 1000 - startTicks * 10.0);
            return ms >= 0 ? ms : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Builds the configuration from command-line arguments ({@link BrokerOptions}): the file
     * first, then --data-dir/--port/--override on top.
     */
    public static BrokerConfig parse(String[] args) throws IOException {
        return BrokerOptions.parse(args).toConfig();
    }
}
