package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AlterUserScramCredentialsRequestData;
import io.tributary.protocol.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import io.tributary.protocol.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import io.tributary.protocol.message.AlterUserScramCredentialsResponseData;
import io.tributary.protocol.message.DescribeUserScramCredentialsRequestData;
import io.tributary.protocol.message.DescribeUserScramCredentialsResponseData;
import io.tributary.protocol.sasl.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S1: KIP-554 user management as kafka-configs.sh --entity-type users uses it. */
class ScramCredentialApisTest {
    private BrokerMetadataStore store;
    private ScramCredentialApis apis;

    @BeforeEach
    void start() throws Exception {
        store = new BrokerMetadataStore(new ManualEventLoop(), new InMemoryCoordinatorLog());
        store.start().get();
        apis = new ScramCredentialApis(store);
    }

    private static ScramCredentialUpsertion upsert(String user, ScramMechanism m, String password, int iterations) {
        byte[] salt = ("salt-of-" + user).getBytes(StandardCharsets.UTF_8);
        return new ScramCredentialUpsertion()
                .setName(user)
                .setMechanism(m.code())
                .setIterations(iterations)
                .setSalt(salt)
                .setSaltedPassword(m.saltedPassword(password, salt, iterations));
    }

    private Map<String, Errors> alter(AlterUserScramCredentialsRequestData request) throws Exception {
        AlterUserScramCredentialsResponseData response = apis.alter(request).get();
        return response.results.stream().collect(Collectors.toMap(r -> r.user, r -> Errors.forCode(r.errorCode)));
    }

    @Test
    void anAddedUserCanLogInWithKafkasClientAndIsDescribedWithoutSecrets() throws Exception {
        // One request per mechanism: Kafka refuses two changes of one user in one request.
        assertThat(alter(new AlterUserScramCredentialsRequestData()
                        .setUpsertions(List.of(upsert("alice", ScramMechanism.SCRAM_SHA_256, "alice-secret", 8192)))))
                .isEqualTo(Map.of("alice", Errors.NONE));
        assertThat(alter(new AlterUserScramCredentialsRequestData()
                        .setUpsertions(List.of(upsert("alice", ScramMechanism.SCRAM_SHA_512, "alice-secret", 4096)))))
                .isEqualTo(Map.of("alice", Errors.NONE));

        ScramSaslServer server =
                new ScramSaslServer(ScramMechanism.SCRAM_SHA_256, store.image()::scramCredential, false, () -> "s");
        var client = KafkaScram.client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret");
        byte[] last = server.evaluate(client.evaluateChallenge(server.evaluate(client.evaluateChallenge(new byte[0]))));
        client.evaluateChallenge(last);
        assertThat(server.authenticatedUser()).isEqualTo("alice");

        DescribeUserScramCredentialsResponseData all =
                apis.describe(new DescribeUserScramCredentialsRequestData().setUsers(null));
        assertThat(all.results).hasSize(1);
        assertThat(all.results.get(0).credentialInfos)
                .extracting(i -> i.mechanism + ":" + i.iterations)
                .containsExactlyInAnyOrder("1:8192", "2:4096");
    }

    @Test
    void kafkasPerUserErrors() throws Exception {
        Map<String, Errors> errors = alter(new AlterUserScramCredentialsRequestData()
                .setDeletions(List.of(
                        new ScramCredentialDeletion().setName("ghost").setMechanism((byte) 1),
                        new ScramCredentialDeletion().setName("dup").setMechanism((byte) 1)))
                .setUpsertions(List.of(
                        upsert("dup", ScramMechanism.SCRAM_SHA_256, "x", 4096),
                        upsert("weak", ScramMechanism.SCRAM_SHA_256, "x", 10),
                        upsert("odd", ScramMechanism.SCRAM_SHA_256, "x", 4096).setMechanism((byte) 9),
                        upsert("both", ScramMechanism.SCRAM_SHA_256, "x", 4096),
                        upsert("both", ScramMechanism.SCRAM_SHA_512, "x", 4096),
                        upsert("ok", ScramMechanism.SCRAM_SHA_512, "x", 4096))));
        assertThat(errors)
                .containsEntry("ghost", Errors.RESOURCE_NOT_FOUND)
                .containsEntry("dup", Errors.DUPLICATE_RESOURCE)
                // Two mechanisms of one user are two changes of that user: Kafka refuses both.
                .containsEntry("both", Errors.DUPLICATE_RESOURCE)
                .containsEntry("weak", Errors.UNACCEPTABLE_CREDENTIAL)
                .containsEntry("odd", Errors.UNSUPPORTED_SASL_MECHANISM)
                .containsEntry("ok", Errors.NONE);
        assertThat(store.image().scramUsers()).containsOnlyKeys("ok");

        DescribeUserScramCredentialsResponseData described = apis.describe(new DescribeUserScramCredentialsRequestData()
                .setUsers(List.of(
                        new DescribeUserScramCredentialsRequestData.UserName().setName("ghost"),
                        new DescribeUserScramCredentialsRequestData.UserName().setName("ok"),
                        new DescribeUserScramCredentialsRequestData.UserName().setName("ok"))));
        assertThat(described.results)
                .extracting(r -> r.user + "=" + Errors.forCode(r.errorCode))
                .containsExactly("ghost=RESOURCE_NOT_FOUND", "ok=DUPLICATE_RESOURCE");

        assertThat(alter(new AlterUserScramCredentialsRequestData()
                        .setDeletions(List.of(
                                new ScramCredentialDeletion().setName("ok").setMechanism((byte) 2)))))
                .isEqualTo(Map.of("ok", Errors.NONE));
        assertThat(store.image().scramUsers()).isEmpty();
    }
}
