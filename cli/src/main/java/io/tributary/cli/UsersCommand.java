package io.tributary.cli;

import io.tributary.client.admin.ScramCredentialInfo;
import io.tributary.client.admin.ScramMechanism;
import io.tributary.client.admin.UserScramCredentialAlteration;
import io.tributary.client.admin.UserScramCredentialDeletion;
import io.tributary.client.admin.UserScramCredentialUpsertion;
import io.tributary.client.admin.UserScramCredentialsDescription;
import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.errors.ResourceNotFoundException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tributary users list|describe|create|delete} (issue 13): SCRAM credentials through
 * DescribeUserScramCredentials and AlterUserScramCredentials (KIP-554). The password is salted in
 * the client; only the salt and the salted password reach the broker.
 */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = "List, describe, create (or alter) and delete SCRAM users.",
        subcommands = {
            UsersCommand.ListUsers.class,
            UsersCommand.Describe.class,
            UsersCommand.Create.class,
            UsersCommand.Delete.class
        })
final class UsersCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Main.EXIT_USAGE;
    }

    /** {@code user}'s description, or "unknown user" when it has no credentials. */
    static UserScramCredentialsDescription describe(AdminCalls calls, String user) {
        return awaitUser(
                calls, calls.admin().describeUserScramCredentials(List.of(user)).description(user), user);
    }

    /** As {@link AdminCalls#await}, naming an unknown user as such. */
    static <T> T awaitUser(AdminCalls calls, KafkaFuture<T> f, String user) {
        try {
            // The client's exception already names the user.
            return calls.await(f, null);
        } catch (CliException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw new CliException("unknown user: " + user, e.getCause());
            }
            throw e;
        }
    }

    static ScramMechanism mechanism(CommandLine cmd, String name) {
        ScramMechanism m = ScramMechanism.fromMechanismName(name);
        if (m == ScramMechanism.UNKNOWN) {
            throw new CommandLine.ParameterException(
                    cmd, "unknown mechanism '" + name + "' (expected SCRAM-SHA-256 or SCRAM-SHA-512)");
        }
        return m;
    }

    /**
     * The password from {@code --password}, the first line of stdin ({@code --password-stdin}), or
     * a terminal prompt (asked twice) when neither is given and stdin is the process's console.
     */
    static String password(CommandLine cmd, InputStream stdin, String given, boolean fromStdin, String user) {
        if (given != null && fromStdin) {
            throw new CommandLine.ParameterException(cmd, "--password and --password-stdin are mutually exclusive");
        }
        if (given != null) {
            return given;
        }
        if (fromStdin) {
            String line;
            try {
                line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new CliException("cannot read the password from stdin: " + e.getMessage(), e);
            }
            if (line == null || line.isEmpty()) {
                throw new CliException("no password on stdin (--password-stdin reads its first line)");
            }
            return line;
        }
        // Only the real process's stdin can be a terminal: a caller's stream (tests, embedding) never prompts.
        Console console = stdin == System.in ? System.console() : null;
        if (console == null) {
            throw new CommandLine.ParameterException(
                    cmd, "missing password: give --password P, --password-stdin, or run in a terminal to be asked");
        }
        char[] first = console.readPassword("Password for %s: ", user);
        char[] again = console.readPassword("Again: ");
        if (first == null || again == null || first.length == 0) {
            throw new CliException("no password entered");
        }
        if (!Arrays.equals(first, again)) {
            throw new CliException("the passwords entered differ");
        }
        return new String(first);
    }

    static void print(TopicsCommand.Sub sub, Map<String, UserScramCredentialsDescription> users, String format) {
        boolean json = Table.isJson(format);
        Table t = new Table("USER", "MECHANISM", "ITERATIONS");
        for (UserScramCredentialsDescription d : new TreeMap<>(users).values()) {
            for (ScramCredentialInfo c : d.credentialInfos()) {
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("user", d.name());
                    o.put("mechanism", c.mechanism().mechanismName());
                    o.put("iterations", c.iterations());
                    sub.out().println(Table.json(o));
                } else {
                    t.row(d.name(), c.mechanism().mechanismName(), c.iterations());
                }
            }
        }
        if (!json) {
            t.print(sub.out());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List SCRAM users and their mechanisms.")
    static final class ListUsers extends TopicsCommand.Sub {
        @Option(names = "--format", paramLabel = "json|table", description = "json: one object per credential.")
        String format;

        @Override
        void run(AdminCalls calls) {
            print(this, calls.await(calls.admin().describeUserScramCredentials().all(), null), format);
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "A user's mechanisms and iterations.")
    static final class Describe extends TopicsCommand.Sub {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Option(names = "--format", paramLabel = "json|table", description = "json: one object per credential.")
        String format;

        @Override
        void run(AdminCalls calls) {
            print(this, Map.of(user, describe(calls, user)), format);
        }
    }

    @Command(
            name = "create",
            aliases = "alter",
            mixinStandardHelpOptions = true,
            description = "Create a SCRAM user, or replace its credential for the mechanism.")
    static final class Create extends TopicsCommand.Sub {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @ParentCommand
        UsersCommand users;

        @Option(
                names = "--password",
                paramLabel = "P",
                description = "Visible in the process list and shell history: prefer --password-stdin in scripts.")
        String password;

        @Option(
                names = "--password-stdin",
                description = "Read the password from the first line of stdin (as docker login does). Without"
                        + " --password or this, a terminal prompts for it.")
        boolean passwordStdin;

        @Option(names = "--mechanism", defaultValue = "SCRAM-SHA-256", paramLabel = "SCRAM-SHA-256|SCRAM-SHA-512")
        String mechanism;

        @Option(names = "--iterations", defaultValue = "4096", paramLabel = "N")
        int iterations;

        @Override
        public Integer call() {
            mechanism(spec.commandLine(), mechanism);
            // Settled before connecting: a missing password fails without touching the cluster.
            password = password(spec.commandLine(), users.main.stdin(), password, passwordStdin, user);
            return super.call();
        }

        @Override
        void run(AdminCalls calls) {
            ScramCredentialInfo info = new ScramCredentialInfo(mechanism(spec.commandLine(), mechanism), iterations);
            List<UserScramCredentialAlteration> a = List.of(new UserScramCredentialUpsertion(user, info, password));
            awaitUser(calls, calls.admin().alterUserScramCredentials(a).all(), user);
            out().println("Set " + info.mechanism().mechanismName() + " credential of user " + user + " (" + iterations
                    + " iterations).");
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a user's credential for one mechanism, or all of them.")
    static final class Delete extends TopicsCommand.Sub {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Option(names = "--mechanism", paramLabel = "SCRAM-SHA-256|SCRAM-SHA-512", description = "Default: all.")
        String mechanism;

        @Override
        public Integer call() {
            if (mechanism != null) {
                mechanism(spec.commandLine(), mechanism);
            }
            return super.call();
        }

        @Override
        void run(AdminCalls calls) {
            List<ScramMechanism> ms = new ArrayList<>();
            if (mechanism != null) {
                ms.add(mechanism(spec.commandLine(), mechanism));
            } else {
                describe(calls, user).credentialInfos().forEach(c -> ms.add(c.mechanism()));
            }
            // One request per mechanism: Kafka's controller refuses two changes of one user in a request
            // (DUPLICATE_RESOURCE).
            for (ScramMechanism m : ms) {
                List<UserScramCredentialAlteration> a = List.of(new UserScramCredentialDeletion(user, m));
                awaitUser(calls, calls.admin().alterUserScramCredentials(a).all(), user);
            }
            for (ScramMechanism m : ms) {
                out().println("Deleted " + m.mechanismName() + " credential of user " + user + ".");
            }
        }
    }
}
