package io.tributary.cli;

import io.tributary.broker.BrokerMain;
import io.tributary.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tributary} command. Subcommands run on the main thread. */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        version = "tributary 0.1.0",
        description = "A Kafka-compatible broker with a group coordinator.",
        subcommands = {Main.Broker.class})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** {@code tributary broker}: runs a broker in the foreground until SIGTERM/Ctrl-C. */
    @Command(
            name = "broker",
            mixinStandardHelpOptions = true,
            description = "Run a broker (Kafka config names; see --override).")
    static final class Broker implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "A server.properties file.")
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (log.dirs); default ./data.")
        Path dataDir;

        @Option(names = "--port", paramLabel = "N", description = "Listener port; default 9092.")
        Integer port;

        @Option(names = "--override", paramLabel = "KEY=VALUE", description = "Set any broker config key (repeatable).")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            Path dir = dataDir;
            // Without --data-dir or a log.dirs from the file/overrides, keep data under the working directory.
            BrokerConfig probe = BrokerMain.build(config, null, null, overrides);
            if (dir == null && !probe.isExplicit(BrokerConfig.LOG_DIRS) && !probe.isExplicit(BrokerConfig.LOG_DIR)) {
                dir = Path.of("data");
            }
            BrokerConfig cfg = BrokerMain.build(config, dir, port, overrides);
            return BrokerMain.run(cfg);
        }
    }
}
