package io.tributary.interop.cli;

import static io.tributary.interop.support.SecureBrokers.PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13 item 1: {@code tributary users create|list|describe|delete} on our broker and on Apache Kafka, each with
 * SASL listeners. A user our CLI creates (salted in our client) logs in with Apache's SCRAM client; Apache's Admin
 * sees the mechanism and iterations our CLI set; after {@code users delete} the login fails.
 */
class CliUsersTest {
    private static final int LOGIN_TIMEOUT_MS = 5000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void createdUserLogsInWithApacheScramAndDeletedUserCannot(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String bootstrap = brokers.bootstrap(PLAINTEXT);
        String user = "dora-" + target.name().toLowerCase(Locale.ROOT);
        String password = "dora-pw";
        Map<String, Object> login512 = brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-512", user, password);

        Cli created = Cli.run(
                "users",
                "create",
                user,
                "--password",
                password,
                "--mechanism",
                "SCRAM-SHA-512",
                "--iterations",
                "8192",
                "--brokers",
                bootstrap);
        assertThat(created.exit()).as(created.err()).isZero();
        brokers.awaitScramMechanisms(user, 1);

        try (Admin admin = brokers.plaintextAdmin()) {
            UserScramCredentialsDescription d = admin.describeUserScramCredentials(List.of(user))
                    .description(user)
                    .get(20, TimeUnit.SECONDS);
            assertThat(d.credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
        }
        awaitLogin(target, login512, true);
        assertThat(attempt(brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-512", user, "not-" + password)))
                .as("a wrong password")
                .isInstanceOf(SaslAuthenticationException.class);

        Cli described = Cli.run("users", "describe", user, "--format", "json", "--brokers", bootstrap);
        assertThat(described.exit()).as(described.err()).isZero();
        assertThat(described.out().strip())
                .isEqualTo("{\"user\":\"" + user + "\",\"mechanism\":\"SCRAM-SHA-512\",\"iterations\":8192}");
        Cli listed = Cli.run("users", "list", "--brokers", bootstrap);
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("USER").containsPattern(user + "\\s+SCRAM-SHA-512\\s+8192");

        // alter = create with another mechanism: the user then has both.
        Cli altered = Cli.run("users", "alter", user, "--password", password, "--brokers", bootstrap);
        assertThat(altered.exit()).as(altered.err()).isZero();
        brokers.awaitScramMechanisms(user, 2);
        awaitLogin(target, brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-256", user, password), true);

        Cli deleted = Cli.run("users", "delete", user, "--brokers", bootstrap);
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        brokers.awaitScramMechanisms(user, 0);
        awaitLogin(target, login512, false);

        Cli unknown = Cli.run("users", "describe", user, "--brokers", bootstrap);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("tributary: unknown user: " + user);
        Cli unknownDelete = Cli.run("users", "delete", user, "--mechanism", "SCRAM-SHA-256", "--brokers", bootstrap);
        assertThat(unknownDelete.exit()).isEqualTo(1);
        assertThat(unknownDelete.err().strip()).isEqualTo("tributary: unknown user: " + user);
    }

    /** Issue 13: scripts pass the password on stdin, out of the process list and shell history. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void passwordFromStdinCreatesAndAltersTheCredential(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String bootstrap = brokers.bootstrap(PLAINTEXT);
        String user = "stdin-" + target.name().toLowerCase(Locale.ROOT);

        Cli created = Cli.withInput("first pw\n", "users", "create", user, "--password-stdin", "--brokers", bootstrap);
        assertThat(created.exit()).as(created.err()).isZero();
        brokers.awaitScramMechanisms(user, 1);
        // The whole first line, spaces included, without its line end.
        awaitLogin(target, brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-256", user, "first pw"), true);

        Cli altered = Cli.withInput(
                "second-pw\r\nignored\n", "users", "alter", user, "--password-stdin", "--brokers", bootstrap);
        assertThat(altered.exit()).as(altered.err()).isZero();
        awaitLogin(target, brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-256", user, "first pw"), false);
        awaitLogin(target, brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-256", user, "second-pw"), true);

        Cli deleted = Cli.run("users", "delete", user, "--brokers", bootstrap);
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        brokers.awaitScramMechanisms(user, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aMissingOrDoublePasswordChangesNothing(Target target) {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String bootstrap = brokers.bootstrap(PLAINTEXT);
        // No terminal behind the test's stdin: no prompt, a usage error naming the options.
        Cli missing = Cli.run("users", "create", "mallory", "--brokers", bootstrap);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("missing password: give --password P, --password-stdin");
        Cli both = Cli.withInput(
                "pw\n", "users", "create", "mallory", "--password", "pw", "--password-stdin", "--brokers", bootstrap);
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--password and --password-stdin are mutually exclusive");
        Cli empty = Cli.withInput("", "users", "create", "mallory", "--password-stdin", "--brokers", bootstrap);
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err().strip())
                .isEqualTo("tributary: no password on stdin (--password-stdin reads its first line)");
        assertThat(brokers.scramMechanisms("mallory")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void badInputIsAUsageErrorOrAOneLineFailure(Target target) {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String bootstrap = brokers.bootstrap(PLAINTEXT);
        Cli badMechanism =
                Cli.run("users", "create", "eve", "--password", "x", "--mechanism", "MD5", "--brokers", bootstrap);
        assertThat(badMechanism.exit()).isEqualTo(2);
        assertThat(badMechanism.err()).contains("unknown mechanism 'MD5'");
        // Kafka's brokers refuse fewer than 4096 iterations (UNACCEPTABLE_CREDENTIAL).
        Cli fewIterations =
                Cli.run("users", "create", "eve", "--password", "x", "--iterations", "10", "--brokers", bootstrap);
        assertThat(fewIterations.exit()).isEqualTo(1);
        assertThat(fewIterations.err().strip())
                .startsWith("tributary: User 'eve': ")
                .doesNotContain("\n");
        assertThat(brokers.scramMechanisms("eve")).isEmpty();
    }

    private static Throwable attempt(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, LOGIN_TIMEOUT_MS);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, LOGIN_TIMEOUT_MS);
        try (Admin admin = Admin.create(c)) {
            admin.describeCluster().nodes().get(LOGIN_TIMEOUT_MS + 10_000L, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** Apache applies a credential change from its metadata log a moment after acknowledging it. */
    private static void awaitLogin(Target target, Map<String, Object> client, boolean succeeds) {
        AtomicReference<Throwable> last = new AtomicReference<>();
        await(target + (succeeds ? ": the created user logs in" : ": the deleted user's login fails"))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Throwable error = attempt(client);
                    last.set(error);
                    return succeeds ? error == null : error instanceof SaslAuthenticationException;
                });
        if (succeeds) {
            assertThat(last.get()).isNull();
        } else {
            assertThat(last.get()).isInstanceOf(SaslAuthenticationException.class);
        }
    }
}
