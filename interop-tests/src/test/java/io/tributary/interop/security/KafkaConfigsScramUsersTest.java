package io.tributary.interop.security;

import static io.tributary.interop.support.SecureBrokers.PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kafka.admin.ConfigCommand;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 acceptance (S1): {@code kafka-configs.sh --entity-type users --alter --add-config
 * 'SCRAM-SHA-256=[...]'} adds a user who can then log in, and {@code --delete-config SCRAM-SHA-256}
 * removes it so that the user's next login fails, on our broker and on Apache Kafka configured the
 * same way. The tool is Apache's own {@code kafka.admin.ConfigCommand} run in this JVM the way its
 * {@code main} runs it (options parsed and checked, then {@code alterConfig} with an AdminClient on
 * {@code --bootstrap-server}), minus the {@code System.exit}.
 */
class KafkaConfigsScramUsersTest {
    private static final Duration LOGIN_DEADLINE = Duration.ofSeconds(30);

    /** kafka-configs.sh with {@code args}, as {@code ConfigCommand.main} would run an --alter. */
    static void kafkaConfigs(String... args) throws Exception {
        ConfigCommand.ConfigCommandOptions opts = new ConfigCommand.ConfigCommandOptions(args);
        opts.checkArgs();
        assertThat(opts.options.has(opts.alterOpt()))
                .as("only --alter is run here")
                .isTrue();
        String bootstrap = opts.options.valueOf(opts.bootstrapServerOpt());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigCommand.alterConfig(admin, opts);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void kafkaConfigsAddsAndRemovesAScramUser(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String user = "bob-" + target.name().toLowerCase(Locale.ROOT);
        String password = "bob-pw";
        Map<String, Object> bob256 = brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-256", user, password);
        Map<String, Object> bob512 = brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-512", user, password);
        assertThat(Logins.attempt(bob256)).as("before the user exists").isInstanceOf(SaslAuthenticationException.class);

        kafkaConfigs(
                "--bootstrap-server",
                brokers.bootstrap(PLAINTEXT),
                "--entity-type",
                "users",
                "--entity-name",
                user,
                "--alter",
                "--add-config",
                "SCRAM-SHA-256=[iterations=8192,password=" + password + "]");
        brokers.awaitScramMechanisms(user, 1);
        assertThat(brokers.scramMechanisms(user)).containsExactly(ScramMechanism.SCRAM_SHA_256);
        awaitLogin(target, bob256, true);
        assertThat(Logins.attempt(bob512))
                .as("only SCRAM-SHA-256 was added")
                .isInstanceOf(SaslAuthenticationException.class);
        assertThat(Logins.attempt(brokers.client(SASL_PLAINTEXT, "SCRAM-SHA-256", user, "not-" + password)))
                .isInstanceOf(SaslAuthenticationException.class);

        kafkaConfigs(
                "--bootstrap-server",
                brokers.bootstrap(PLAINTEXT),
                "--entity-type",
                "users",
                "--entity-name",
                user,
                "--alter",
                "--delete-config",
                "SCRAM-SHA-256");
        brokers.awaitScramMechanisms(user, 0);
        awaitLogin(target, bob256, false);
        // The broker still serves the users it has.
        assertThat(Logins.attempt(brokers.client(
                        SASL_PLAINTEXT, "SCRAM-SHA-512", SecureBrokers.SCRAM_USER, SecureBrokers.SCRAM_PASSWORD)))
                .isNull();
    }

    /**
     * Both SCRAM mechanisms in one {@code --add-config}: Apache's controller keys a request's
     * changes by user name and refuses a second change of the same user with DUPLICATE_RESOURCE
     * ("A user credential cannot be altered twice in the same request"), applying nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void twoChangesOfOneUserInOneRequestAreRefused(Target target) throws Exception {
        assertTwoChangesOfOneUserInOneRequestAreRefused(target);
    }

    private static void assertTwoChangesOfOneUserInOneRequestAreRefused(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String user = "frank-" + target.name().toLowerCase(Locale.ROOT);
        assertThatThrownBy(() -> kafkaConfigs(
                        "--bootstrap-server",
                        brokers.bootstrap(PLAINTEXT),
                        "--entity-type",
                        "users",
                        "--entity-name",
                        user,
                        "--alter",
                        "--add-config",
                        "SCRAM-SHA-256=[password=frank-pw],SCRAM-SHA-512=[password=frank-pw]"))
                .hasRootCauseInstanceOf(DuplicateResourceException.class)
                .rootCause()
                .hasMessage("A user credential cannot be altered twice in the same request");
        assertThat(brokers.scramMechanisms(user)).as("nothing applied").isEmpty();
    }

    /**
     * Waits until a login succeeds ({@code succeeds}) or fails with SaslAuthenticationException.
     * Apache applies a credential change from its metadata log a moment after the controller
     * acknowledged it, hence the deadline rather than one attempt.
     */
    private static void awaitLogin(Target target, Map<String, Object> client, boolean succeeds) {
        AtomicReference<Throwable> last = new AtomicReference<>();
        await(target + (succeeds ? ": the added user logs in" : ": the removed user's login fails"))
                .atMost(LOGIN_DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Throwable error = Logins.attempt(client);
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
