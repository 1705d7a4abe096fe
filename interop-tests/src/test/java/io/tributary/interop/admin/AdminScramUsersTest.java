package io.tributary.interop.admin;

import static io.tributary.interop.support.SecureBrokers.PLAINTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ScramCredentialInfo;
import io.tributary.client.admin.ScramMechanism;
import io.tributary.client.admin.TributaryAdmin;
import io.tributary.client.admin.UserScramCredentialDeletion;
import io.tributary.client.admin.UserScramCredentialUpsertion;
import io.tributary.client.common.errors.DuplicateResourceException;
import io.tributary.client.common.errors.ResourceNotFoundException;
import io.tributary.client.common.errors.UnacceptableCredentialException;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13 item 1: our admin's describeUserScramCredentials and alterUserScramCredentials map Kafka's error codes to
 * Kafka's exception types, on our broker and on Apache Kafka. (Logins with the credentials it sets are in
 * {@code cli/CliUsersTest}.)
 */
class AdminScramUsersTest {
    private static Admin admin(SecureBrokers brokers) {
        return TributaryAdmin.create(Map.of("bootstrap.servers", brokers.bootstrap(PLAINTEXT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tributary.interop.support.Target#selected")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void errorsAreKafkasTypes(Target target) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String ghost = "ghost-" + target.name().toLowerCase(Locale.ROOT);
        try (Admin admin = admin(brokers)) {
            assertThat(admin.describeUserScramCredentials().users().get(20, TimeUnit.SECONDS))
                    .contains(SecureBrokers.SCRAM_USER);
            assertThat(admin.describeUserScramCredentials(List.of(SecureBrokers.SCRAM_USER))
                            .description(SecureBrokers.SCRAM_USER)
                            .get(20, TimeUnit.SECONDS)
                            .credentialInfos())
                    .extracting(ScramCredentialInfo::mechanism)
                    .contains(ScramMechanism.SCRAM_SHA_256);

            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of(ghost))
                            .description(ghost)
                            .get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> admin.alterUserScramCredentials(
                                    List.of(new UserScramCredentialDeletion(ghost, ScramMechanism.SCRAM_SHA_256)))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(
                                    new UserScramCredentialUpsertion(
                                            ghost, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "pw"),
                                    new UserScramCredentialUpsertion(
                                            ghost, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "pw")))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DuplicateResourceException.class);
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                    ghost, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 10), "pw")))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(UnacceptableCredentialException.class);
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                    ghost, new ScramCredentialInfo(ScramMechanism.UNKNOWN, 4096), "pw")))
                            .all()
                            .get(20, TimeUnit.SECONDS))
                    .as("refused in the client")
                    .hasCauseInstanceOf(UnacceptableCredentialException.class);
        }
        assertThat(brokers.scramMechanisms(ghost)).as("nothing applied").isEmpty();
    }
}
