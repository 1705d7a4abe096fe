package io.tributary.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.group.StorageCoordinatorLog;
import io.tributary.broker.security.acl.AclBinding;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.AclPermission;
import io.tributary.broker.security.acl.PatternType;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.runtime.ThreadEventLoop;
import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S1: users and ACLs in the broker's one durable metadata store. */
class BrokerMetadataStoreTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ScramCredential ALICE =
            ScramMechanism.SCRAM_SHA_256.newCredential("alice-secret", 4096, RANDOM);
    private static final AclBinding READ_ORDERS = new AclBinding(
            ResourceType.TOPIC,
            "orders",
            PatternType.LITERAL,
            "User:alice",
            "*",
            AclOperation.READ,
            AclPermission.ALLOW);
    private static final AclBinding READ_GROUP = new AclBinding(
            ResourceType.GROUP, "g", PatternType.PREFIXED, "User:alice", "*", AclOperation.READ, AclPermission.ALLOW);

    @Test
    void readersSeeAChangeOnlyOnceItIsDurable() throws Exception {
        InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
        BrokerMetadataStore store = new BrokerMetadataStore(new ManualEventLoop(), log);
        store.start().get();
        assertThat(store.image().scramUsers()).isEmpty();

        log.holdDurability();
        CompletableFuture<Void> upsert = store.upsertScram("alice", ScramMechanism.SCRAM_SHA_256, ALICE);
        CompletableFuture<Void> acl = store.createAcls(List.of(READ_ORDERS));
        assertThat(upsert).isNotDone();
        assertThat(acl).isNotDone();
        assertThat(store.image().scramCredential("alice", ScramMechanism.SCRAM_SHA_256))
                .isEmpty();
        assertThat(store.image().acls()).isEmpty();

        log.releaseDurability();
        upsert.get(1, TimeUnit.SECONDS);
        acl.get(1, TimeUnit.SECONDS);
        assertThat(store.image().scramCredential("alice", ScramMechanism.SCRAM_SHA_256))
                .contains(ALICE);
        assertThat(store.image().scramCredential("alice", ScramMechanism.SCRAM_SHA_512))
                .isEmpty();
        assertThat(store.image().acls()).containsExactly(READ_ORDERS);
        store.close();
    }

    @Test
    void createIsIdempotentDeleteReportsWhatItRemovedAndInvalidAclsAreRefused() throws Exception {
        InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
        BrokerMetadataStore store = new BrokerMetadataStore(new ManualEventLoop(), log);
        store.start().get();
        store.createAcls(List.of(READ_ORDERS, READ_GROUP)).get();
        int records = log.size();
        store.createAcls(List.of(READ_ORDERS)).get();
        assertThat(log.size()).as("an ACL already present writes nothing").isEqualTo(records);

        assertThat(store.deleteAcls(a -> a.resourceType() == ResourceType.GROUP).get())
                .containsExactly(READ_GROUP);
        assertThat(store.image().acls()).containsExactly(READ_ORDERS);
        assertThat(store.deleteScram("nobody", ScramMechanism.SCRAM_SHA_256).get())
                .isFalse();
        store.upsertScram("alice", ScramMechanism.SCRAM_SHA_256, ALICE).get();
        assertThat(store.deleteScram("alice", ScramMechanism.SCRAM_SHA_256).get())
                .isTrue();
        assertThat(store.image().scramUsers()).isEmpty();

        AclBinding bad = new AclBinding(
                ResourceType.TOPIC, "t", PatternType.LITERAL, "alice", "*", AclOperation.READ, AclPermission.ALLOW);
        assertThatThrownBy(() -> store.createAcls(List.of(bad)).get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("principal must be Type:name");
        store.close();
    }

    @Test
    void aFailedWriteIsNeitherAcknowledgedNorShown() throws Exception {
        InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
        BrokerMetadataStore store = new BrokerMetadataStore(new ManualEventLoop(), log);
        store.start().get();
        store.createAcls(List.of(READ_ORDERS)).get();
        log.failNextAppend(new IllegalStateException("disk full"));
        CompletableFuture<Void> failed = store.upsertScram("alice", ScramMechanism.SCRAM_SHA_256, ALICE);
        assertThatThrownBy(() -> failed.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(store.image().scramUsers()).isEmpty();
        assertThat(store.image().acls()).containsExactly(READ_ORDERS);
        store.close();
    }

    @Test
    void usersAndAclsSurviveAReopenOfTheStorageLog(@TempDir Path dir) throws Exception {
        Path metadataDir = dir.resolve(BrokerMetadataStore.DIR_NAME);
        ScramCredential bob512 = ScramMechanism.SCRAM_SHA_512.newCredential("bob-secret", 8192, RANDOM);
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(metadataDir, 1 << 20);
                ThreadEventLoop loop = new ThreadEventLoop("metadata-test")) {
            BrokerMetadataStore store = new BrokerMetadataStore(loop, log);
            store.start().get(10, TimeUnit.SECONDS);
            store.upsertScram("alice", ScramMechanism.SCRAM_SHA_256, ALICE).get(10, TimeUnit.SECONDS);
            store.upsertScram("bob", ScramMechanism.SCRAM_SHA_512, bob512).get(10, TimeUnit.SECONDS);
            store.createAcls(List.of(READ_ORDERS, READ_GROUP)).get(10, TimeUnit.SECONDS);
            store.deleteAcls(READ_GROUP::equals).get(10, TimeUnit.SECONDS);
            store.close();
        }
        try (StorageCoordinatorLog log = StorageCoordinatorLog.open(metadataDir, 1 << 20);
                ThreadEventLoop loop = new ThreadEventLoop("metadata-test")) {
            BrokerMetadataStore store = new BrokerMetadataStore(loop, log);
            store.start().get(10, TimeUnit.SECONDS);
            MetadataImage image = store.image();
            assertThat(image.scramUsers())
                    .isEqualTo(Map.of(
                            "alice", Map.of(ScramMechanism.SCRAM_SHA_256, ALICE),
                            "bob", Map.of(ScramMechanism.SCRAM_SHA_512, bob512)));
            assertThat(image.acls()).containsExactly(READ_ORDERS);
            store.close();
        }
    }
}
