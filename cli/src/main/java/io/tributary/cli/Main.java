package io.tributary.cli;

import io.tributary.broker.BrokerMain;
import io.tributary.broker.BrokerOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        /** The same options as BrokerMain, declared once in the broker. */
        @Mixin
        BrokerOptions options = new BrokerOptions();

        @Override
        public Integer call() throws Exception {
            // Without --data-dir or a log.dirs from the file/overrides, keep data under the working directory.
            return BrokerMain.run(options.toConfig(Path.of("data")), options.scramUsers());
        }
    }
}
