package io.tributary.interop.security;

import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import io.tributary.interop.support.TributaryProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 acceptance (S1): SCRAM users are durable. Our broker runs as a child JVM
 * ({@link TributaryProcess}) with the {@link SecureBrokers} settings; a user added (and another
 * added then removed) with AdminClient is acknowledged, the broker is SIGKILLed at once and started
 * again on the same data directory: the user logs in with both mechanisms, the removed one and a
 * wrong password do not. Apache Kafka stands in with a clean broker restart (the test kit cannot
 * SIGKILL an in-process node), per the team's rules.
 */
class ScramUsersSurviveRestartTest {
    private static final String USER = "dave";
    private static final String PASSWORD = "dave-pw";
    private static final String REMOVED = "erin";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void usersSurviveASigkillOfOurBroker() throws Exception {
        Map<String, Integer> ports = SecureBrokers.freePorts(List.of(SecureBrokers.PLAINTEXT, SASL_PLAINTEXT));
        String sasl = "127.0.0.1:" + ports.get(SASL_PLAINTEXT);
        try (TributaryProcess broker = TributaryProcess.start(dataDir, SecureBrokers.tributarySettings(ports))) {
            addAndRemoveUsers(broker.bootstrapServers());
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-512", USER, PASSWORD)))
                    .as("login before the kill; broker output:%n%s", broker.diagnostics())
                    .isNull();

            broker.kill();
            broker.startAgain();

            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-256", USER, PASSWORD)))
                    .as("login after SIGKILL and restart; broker output:%n%s", broker.diagnostics())
                    .isNull();
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-512", USER, PASSWORD)))
                    .isNull();
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-256", USER, "not-" + PASSWORD)))
                    .isInstanceOf(SaslAuthenticationException.class);
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-256", REMOVED, PASSWORD)))
                    .as("the removed user stays removed")
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void usersSurviveARestartOfApacheKafka() throws Exception {
        try (SecureBrokers apache = SecureBrokers.start(Target.APACHE)) {
            addAndRemoveUsers(apache.bootstrap(SecureBrokers.PLAINTEXT));
            String sasl = apache.bootstrap(SASL_PLAINTEXT);
            awaitLogin(login(sasl, "SCRAM-SHA-512", USER, PASSWORD));

            apache.restart();

            awaitLogin(login(sasl, "SCRAM-SHA-256", USER, PASSWORD));
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-512", USER, PASSWORD)))
                    .isNull();
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-256", USER, "not-" + PASSWORD)))
                    .isInstanceOf(SaslAuthenticationException.class);
            assertThat(Logins.attempt(login(sasl, "SCRAM-SHA-256", REMOVED, PASSWORD)))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** Apache applies credentials (and serves again after a restart) a moment after acknowledging. */
    private static void awaitLogin(Map<String, Object> client) {
        await("SCRAM login of " + USER)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Logins.attempt(client) == null);
    }

    private static Map<String, Object> login(String bootstrap, String mechanism, String user, String password) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                SASL_PLAINTEXT,
                "sasl.mechanism",
                mechanism,
                "sasl.jaas.config",
                SecureBrokers.jaas(mechanism, user, password));
    }

    /** USER with both mechanisms, REMOVED added and deleted again; one request per alteration, as Apache wants. */
    private static void addAndRemoveUsers(String plaintextBootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrap))) {
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(
                                new UserScramCredentialUpsertion(USER, new ScramCredentialInfo(m, 4096), PASSWORD)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            REMOVED, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(
                            List.of(new UserScramCredentialDeletion(REMOVED, ScramMechanism.SCRAM_SHA_256)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
