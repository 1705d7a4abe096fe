package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.BrokerFixture;
import io.tributary.broker.auth.AuthorizerNames;
import io.tributary.broker.config.BrokerConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 with the standard authorizer: a transactional id the caller may not WRITE cannot be
 * initialised (TransactionalIdAuthorizationException in Apache's producer) nor DESCRIBEd, while an
 * id without ACLs works (allow.everyone.if.no.acl.found).
 */
class TransactionAclTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            BrokerConfig.AUTHORIZER_CLASS_NAME,
            AuthorizerNames.STANDARD_AUTHORIZER,
            BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND,
            "true"));

    private String bootstrap() {
        return "127.0.0.1:" + fixture.get().boundPort();
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return new KafkaProducer<>(p);
    }

    @Test
    void aTransactionalIdTheCallerMayNotWriteIsRefused() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("acl-t", 1, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            // Only alice may use "guarded": an ACL exists, so the anonymous caller is denied.
            admin.createAcls(List.of(
                            new AclBinding(
                                    new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "guarded", PatternType.LITERAL),
                                    new AccessControlEntry(
                                            "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW)),
                            new AclBinding(
                                    new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "guarded", PatternType.LITERAL),
                                    new AccessControlEntry(
                                            "User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))))
                    .all()
                    .get(20, TimeUnit.SECONDS);

            try (KafkaProducer<String, String> denied = producer("guarded")) {
                assertThatThrownBy(denied::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
            }
            assertThatThrownBy(() -> admin.describeTransactions(Set.of("guarded"))
                            .description("guarded")
                            .get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TransactionalIdAuthorizationException.class);

            try (KafkaProducer<String, String> open = producer("open")) {
                open.initTransactions();
                open.beginTransaction();
                open.send(new ProducerRecord<>("acl-t", 0, "k", "v"));
                open.commitTransaction();
            }
            assertThat(admin.listTransactions().all().get(20, TimeUnit.SECONDS))
                    .extracting(l -> l.transactionalId())
                    .containsExactly("open");
        }
    }
}
