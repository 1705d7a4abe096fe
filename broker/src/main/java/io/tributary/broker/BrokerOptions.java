package io.tributary.broker;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.security.ScramUserSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The broker's command-line options, declared once for both entry points: {@link BrokerMain}
 * (the child-JVM entry point the crash tests launch) parses them with {@link #parse}, and the
 * cli's {@code tributary broker} mixes this class into its picocli command. Options:
 * {@code --config FILE}, {@code --data-dir DIR}, {@code --port N}, {@code --override key=value}
 * (repeatable); {@code --opt=value} works for each. {@link #toConfig} turns them into a
 * {@link BrokerConfig}: the file first, then --data-dir and --port, then the overrides.
 * Filled by picocli on the starting thread, then only read.
 */
public final class BrokerOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "A server.properties file.")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory (log.dirs); `tributary broker` defaults to ./data.")
    Path dataDir;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Port of the first listener (default 9092); with --config, replaces the port of the first"
                    + " entry of the file's listeners and keeps the others.")
    Integer port;

    @Option(
            names = "--add-scram",
            paramLabel = "SPEC",
            description = "Create or replace a SCRAM user before the listeners open, as kafka-storage format"
                    + " --add-scram: 'SCRAM-SHA-256=[name=alice,password=alice-secret]' (optional iterations=N;"
                    + " repeatable).")
    List<String> addScram = new ArrayList<>();

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "Set any broker config key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Parses command-line arguments; a bad or unknown argument is an IllegalArgumentException. */
    public static BrokerOptions parse(String... args) {
        BrokerOptions quick = parseQuick(args);
        if (quick != null) {
            return quick;
        }
        return Picocli.parse(args);
    }

    /**
     * picocli behind a class of its own: a catch of its exception type in this class would make linking
     * BrokerOptions load picocli, which {@link #parseQuick} is there to avoid.
     */
    private static final class Picocli {
        static BrokerOptions parse(String... args) {
            BrokerOptions options = new BrokerOptions();
            try {
                new CommandLine(options).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return options;
        }
    }

    /**
     * The plain forms ({@code --opt value} and {@code --opt=value} of the five options above) without
     * picocli, or null for anything else (help, an unknown or malformed option, an {@code @file}), which
     * {@link #parse} then reports. picocli's classes are Java 5 class files: they cannot go into the
     * class-data sharing archive and load through the old verifier, which cost the broker a third of its
     * start-up (issue 16). BrokerOptionsTest keeps the names here equal to the {@code @Option} names.
     */
    public static BrokerOptions parseQuick(String... args) {
        BrokerOptions options = new BrokerOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")) {
                value = args[++i];
            } else {
                return null;
            }
            if (!options.accept(name, value)) {
                return null;
            }
        }
        return options;
    }

    /** The option names {@link #parseQuick} knows. */
    static List<String> quickNames() {
        return List.of("--config", "--data-dir", "--port", "--add-scram", "--override");
    }

    private boolean accept(String name, String value) {
        switch (name) {
            case "--config" -> config = Path.of(value);
            case "--data-dir" -> dataDir = Path.of(value);
            case "--port" -> {
                if (!value.matches("[0-9]{1,5}")) {
                    return false;
                }
                port = Integer.valueOf(value);
            }
            case "--add-scram" -> addScram.add(value);
            case "--override" -> {
                int eq = value.indexOf('=');
                if (eq < 0) {
                    return false;
                }
                overrides.put(value.substring(0, eq), value.substring(eq + 1));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The usage text of these options under {@code commandName}. */
    public static String usage(String commandName) {
        return new CommandLine(new BrokerOptions()).setCommandName(commandName).getUsageMessage();
    }

    /** The --add-scram users; a malformed one is an IllegalArgumentException that does not show its password. */
    public List<ScramUserSpec> scramUsers() {
        List<ScramUserSpec> out = new ArrayList<>();
        for (String spec : addScram) {
            out.add(ScramUserSpec.parse(spec));
        }
        return out;
    }

    /** The configuration these options describe. */
    public BrokerConfig toConfig() throws IOException {
        return toConfig(null);
    }

    /**
     * The configuration these options describe, with {@code defaultDataDir} (when not null) as
     * the data directory if neither --data-dir nor log.dirs/log.dir from the file or the
     * overrides names one.
     */
    public BrokerConfig toConfig(Path defaultDataDir) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        if (config != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            }
            for (String name : p.stringPropertyNames()) {
                props.put(name, p.getProperty(name));
            }
        }
        Map<String, String> named = new LinkedHashMap<>();
        overrides.forEach((k, v) -> named.put(k.trim(), v.trim()));
        Path dir = dataDir;
        if (dir == null && defaultDataDir != null) {
            BrokerConfig probe = BrokerConfig.fromMap(merged(props, named));
            if (!probe.isExplicit(BrokerConfig.LOG_DIRS) && !probe.isExplicit(BrokerConfig.LOG_DIR)) {
                dir = defaultDataDir;
            }
        }
        if (dir != null) {
            props.put(BrokerConfig.LOG_DIRS, dir.toString());
        }
        if (port != null) {
            props.put(BrokerConfig.LISTENERS, withFirstPort(props.get(BrokerConfig.LISTENERS), port));
        }
        return BrokerConfig.fromMap(merged(props, named));
    }

    /** {@code listeners} with the first entry's port replaced; PLAINTEXT://:port when there is none. */
    static String withFirstPort(String listeners, int port) {
        if (listeners == null || listeners.isBlank()) {
            return "PLAINTEXT://:" + port;
        }
        String[] entries = listeners.split(",", -1);
        String first = entries[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon < 0 || !first.contains("://")) {
            return "PLAINTEXT://:" + port;
        }
        entries[0] = first.substring(0, colon + 1) + port;
        return String.join(",", entries);
    }

    private static Map<String, String> merged(Map<String, String> base, Map<String, String> on) {
        Map<String, String> out = new LinkedHashMap<>(base);
        out.putAll(on);
        return out;
    }
}
