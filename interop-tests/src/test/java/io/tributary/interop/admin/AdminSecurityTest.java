package io.tributary.interop.admin;

import static io.tributary.interop.support.SecureBrokers.SASL_PLAINTEXT;
import static io.tributary.interop.support.SecureBrokers.SASL_SSL;
import static io.tributary.interop.support.SecureBrokers.SCRAM_PASSWORD;
import static io.tributary.interop.support.SecureBrokers.SCRAM_USER;
import static io.tributary.interop.support.SecureBrokers.SSL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TributaryAdmin;
import io.tributary.client.common.errors.SaslAuthenticationException;
import io.tributary.interop.support.KafkaClients;
import io.tributary.interop.support.SecureBrokers;
import io.tributary.interop.support.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 item 2: our admin client takes the consumer's security keys (issue 9) and works over
 * TLS and SASL against both brokers; a wrong password fails the call with
 * SaslAuthenticationException, not a timeout.
 */
class AdminSecurityTest {
    static Stream<Arguments> logins() {
        List<Arguments> out = new ArrayList<>();
        Target.selected().forEach(target -> {
            out.add(Arguments.of(target, SSL, "-"));
            out.add(Arguments.of(target, SASL_SSL, "SCRAM-SHA-512"));
            out.add(Arguments.of(target, SASL_PLAINTEXT, "SCRAM-SHA-256"));
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("logins")
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void adminWorksOverEverySecureListener(Target target, String listener, String mechanism) throws Exception {
        SecureBrokers brokers = SecureBrokers.shared(target);
        String topic = KafkaClients.uniqueTopic("admin-secure");
        Map<String, Object> conf = brokers.client(listener, mechanism, SCRAM_USER, SCRAM_PASSWORD);
        try (Admin admin = TributaryAdmin.create(conf)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isNotEmpty();
            // Apache applies a new topic to its metadata cache a moment after CreateTopics answers.
            await("the new topic is listed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() ->
                            admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        if (listener.startsWith("SASL")) {
            Map<String, Object> wrong = brokers.client(listener, mechanism, SCRAM_USER, "not-the-password");
            try (Admin admin = TributaryAdmin.create(wrong)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(SaslAuthenticationException.class);
            }
        }
    }
}
