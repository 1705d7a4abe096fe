package io.tributary.interop.transactions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.tools.TransactionsCommand;

/**
 * Apache's {@code kafka-transactions.sh} run in this JVM through the tool's own argument parsing
 * (its package-private {@code execute}, which {@code main} calls before {@code Exit.exit}), with
 * an Admin client on the given bootstrap servers; returns what it printed.
 */
final class ApacheTransactionsTool {
    private ApacheTransactionsTool() {}

    static synchronized String run(String bootstrap, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        args.addAll(List.of(command));
        Method execute = TransactionsCommand.class.getDeclaredMethod(
                "execute", String[].class, Function.class, PrintStream.class, Time.class);
        execute.setAccessible(true);
        Function<Object, Admin> admin =
                ns -> Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        // The tool reports a failure on stderr and exits: both are trapped so the test sees why.
        Exit.setExitProcedure((code, message) -> {
            if (code == 0) {
                throw new Finished();
            }
            throw new IllegalStateException("kafka-transactions.sh " + args + " exited " + code + ": " + message + "\n"
                    + errors.toString(StandardCharsets.UTF_8));
        });
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            execute.invoke(null, args.toArray(String[]::new), admin, out, Time.SYSTEM);
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof Finished)) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        } finally {
            System.setErr(originalErr);
            Exit.resetExitProcedure();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The tool's {@code Exit.exit(0)} after a successful command: unwinds back to {@link #run}. */
    private static final class Finished extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Finished() {
            super(null, null, false, false);
        }
    }
}
