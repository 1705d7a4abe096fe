package io.tributary.broker.metadata;

import io.tributary.broker.security.acl.AclBinding;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent, immutable view of the broker's durable metadata: SCRAM users, ACLs and dynamic configs
 * (broker and group). {@code version} orders images: a later change has a higher one. Published by
 * {@link BrokerMetadataStore} once a change is durable; read from any thread without locks (SASL logins and
 * authorization checks on the network threads).
 */
public record MetadataImage(
        long version,
        Map<String, Map<ScramMechanism, ScramCredential>> scramUsers,
        List<AclBinding> acls,
        Map<ConfigScope, Map<String, String>> configs) {
    public static final MetadataImage EMPTY = new MetadataImage(-1, Map.of(), List.of());

    public MetadataImage {
        scramUsers = Map.copyOf(scramUsers);
        acls = List.copyOf(acls);
        configs = Map.copyOf(configs);
    }

    public MetadataImage(
            long version, Map<String, Map<ScramMechanism, ScramCredential>> scramUsers, List<AclBinding> acls) {
        this(version, scramUsers, acls, Map.of());
    }

    /** The dynamic configs set on one resource (key to value, sorted); empty when none. */
    public Map<String, String> configs(ConfigScope scope) {
        return configs.getOrDefault(scope, Map.of());
    }

    public Optional<ScramCredential> scramCredential(String user, ScramMechanism mechanism) {
        return Optional.ofNullable(scramUsers.getOrDefault(user, Map.of()).get(mechanism));
    }
}
