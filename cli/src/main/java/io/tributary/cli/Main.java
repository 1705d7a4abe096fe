package io.tributary.cli;

import io.tributary.broker.BrokerOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code tributary} command (issue 13). Subcommands run on the main thread. Exit codes
 * scripts can rely on: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} a problem named on one
 * line of stderr (unknown topic, unreachable broker, bad input), {@value #EXIT_USAGE} bad
 * command line. Client commands, {@code topics} and {@code groups} among them, share
 * {@link ClientOptions}.
 */
@Command(
        name = "tributary",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A Kafka-compatible broker with a group coordinator, and the tools to use it.",
        subcommands = {
            Main.Broker.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            PerfCommand.class,
            TopicsCommand.class,
            GroupsCommand.class,
            UsersCommand.class,
            Main.VersionCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    static final String VERSION = "0.1.0";

    private final InputStream stdin;
    private final boolean shutdownHooks;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private Main(InputStream stdin, boolean shutdownHooks) {
        this.stdin = stdin;
        this.shutdownHooks = shutdownHooks;
    }

    public static void main(String[] args) {
        // Client commands print results, and errors as one line: the clients' INFO narration would
        // bury both. TRIBUTARY_JAVA_OPTS=-Dorg.slf4j.simpleLogger.defaultLogLevel=info brings it back.
        if ((args.length == 0 || !args[0].equals("broker"))
                && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.in, System.out, System.err, true));
    }

    /** Runs one command line with these streams and returns its exit code (tests call this). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, false);
    }

    private static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean hooks) {
        // The broker builds only its own command: modelling every client subcommand first (reflection over
        // their options, loading the client) costs the broker a fifth of its start-up CPU (issue 16).
        boolean broker = args.length > 0 && args[0].equals("broker");
        CommandLine cmd = broker
                ? new CommandLine(new Broker()).setCommandName("tributary broker")
                : new CommandLine(new Main(in, hooks));
        String[] commandArgs = broker ? Arrays.copyOfRange(args, 1, args.length) : args;
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        cmd.setOut(new PrintWriter(out, false, StandardCharsets.UTF_8));
        cmd.setErr(errWriter);
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("tributary: " + describe(e));
            return EXIT_FAILURE;
        });
        try {
            return cmd.execute(commandArgs);
        } finally {
            cmd.getOut().flush();
            errWriter.flush();
        }
    }

    /** The environment client commands read (TRIBUTARY_BROKERS); tests substitute their own. */
    public static void environment(java.util.Map<String, String> env) {
        ClientOptions.environment = env;
    }

    /** One line: the user's problem as stated, or the innermost cause's type and message. */
    static String describe(Throwable e) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName()
                + (msg == null ? "" : ": " + msg.lines().findFirst().orElse(""));
    }

    InputStream stdin() {
        return stdin;
    }

    /**
     * Runs {@code action} on Ctrl-C/SIGTERM while a command is running (only in the real process),
     * then holds the JVM until the command has finished ({@link #removeInterruptHook}), so a
     * consumer commits what it printed and leaves its group before the process ends.
     */
    Thread onInterrupt(Runnable action) {
        if (!shutdownHooks) {
            return null;
        }
        InterruptHook t = new InterruptHook(action);
        Runtime.getRuntime().addShutdownHook(t);
        return t;
    }

    void removeInterruptHook(Thread t) {
        if (t instanceof InterruptHook hook) {
            hook.finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(t);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running and now returns: the JVM ends.
            }
        }
    }

    private static final class InterruptHook extends Thread {
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        private final Runnable action;

        InterruptHook(Runnable action) {
            super("tributary-interrupt");
            this.action = action;
        }

        @Override
        public void run() {
            action.run();
            try {
                finished.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_OK;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "tributary " + VERSION,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }

    /** {@code tributary version}: the same lines as {@code --version}. */
    @Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
    static final class VersionCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            for (String line : new Version().getVersion()) {
                spec.commandLine().getOut().println(line);
            }
            return EXIT_OK;
        }
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
            return Launcher.broker(options);
        }
    }
}
