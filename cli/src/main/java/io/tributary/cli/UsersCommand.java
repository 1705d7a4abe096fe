package io.tributary.cli;

import io.tributary.client.admin.ScramCredentialInfo;
import io.tributary.client.admin.ScramMechanism;
import io.tributary.client.admin.UserScramCredentialAlteration;
import io.tributary.client.admin.UserScramCredentialDeletion;
import io.tributary.client.admin.UserScramCredentialUpsertion;
import io.tributary.client.admin.UserScramCredentialsDescription;
import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.errors.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

        @Option(names = "--password", required = true, paramLabel = "P")
        String password;

        @Option(names = "--mechanism", defaultValue = "SCRAM-SHA-256", paramLabel = "SCRAM-SHA-256|SCRAM-SHA-512")
        String mechanism;

        @Option(names = "--iterations", defaultValue = "4096", paramLabel = "N")
        int iterations;

        @Override
        public Integer call() {
            mechanism(spec.commandLine(), mechanism);
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
