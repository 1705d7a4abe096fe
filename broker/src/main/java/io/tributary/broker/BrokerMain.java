package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import io.tributary.broker.group.GroupCoordinatorExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry point: {@code --config FILE}, {@code --data-dir DIR}, {@code --port N},
 * {@code --override key=value} (repeatable). Prints {@code bootstrap.servers=HOST:PORT} once
 * listening and shuts down gracefully on SIGTERM/SIGINT through a shutdown hook.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) {
        BrokerConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("tributary broker: " + e.getMessage());
            System.err.println(
                    "usage: BrokerMain [--config FILE] [--data-dir DIR] [--port N] [--override key=value]...");
            System.exit(2);
            return;
        }
        System.exit(run(config));
    }

    /** Starts the broker, prints how to connect and blocks until the JVM is asked to stop. */
    public static int run(BrokerConfig config) {
        TributaryBroker broker;
        try {
            broker = TributaryBroker.start(config, new GroupCoordinatorExtension());
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
        System.out.println("Tributary broker started. Connect with bootstrap.servers=" + broker.bootstrapServers());
        System.out.println("Data directory: " + broker.dataDir());
        System.out.println(
                "Try: kcat -b " + broker.bootstrapServers() + " -L    (Ctrl-C or SIGTERM stops the broker cleanly)");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Builds the configuration: the file first, then --data-dir/--port/--override on top. */
    public static BrokerConfig parse(String[] args) throws IOException {
        String configFile = null;
        String dataDir = null;
        Integer port = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (List.of("--config", "--data-dir", "--port", "--override").contains(a) && value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                value = args[++i];
            }
            switch (a) {
                case "--config" -> configFile = value;
                case "--data-dir" -> dataDir = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, not " + value);
                    }
                }
                case "--override" -> {
                    int kv = value.indexOf('=');
                    if (kv <= 0) {
                        throw new IllegalArgumentException("--override needs key=value, not " + value);
                    }
                    overrides.put(
                            value.substring(0, kv).trim(),
                            value.substring(kv + 1).trim());
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return build(
                configFile == null ? null : Path.of(configFile),
                dataDir == null ? null : Path.of(dataDir),
                port,
                overrides);
    }

    /** Shared by this class and the cli: file properties, then the named overrides. */
    public static BrokerConfig build(Path configFile, Path dataDir, Integer port, Map<String, String> overrides)
            throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                p.load(in);
            }
            for (String name : p.stringPropertyNames()) {
                props.put(name, p.getProperty(name));
            }
        }
        if (dataDir != null) {
            props.put(BrokerConfig.LOG_DIRS, dataDir.toString());
        }
        if (port != null) {
            props.put(BrokerConfig.LISTENERS, "PLAINTEXT://:" + port);
        }
        props.putAll(overrides);
        return BrokerConfig.fromMap(props);
    }
}
