package io.tributary.broker.auth;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import java.util.Set;

/**
 * Which {@code authorizer.class.name} values turn ACL enforcement on. Kafka 4's StandardAuthorizer is accepted (so a
 * Kafka server.properties works unchanged) and means our {@code AclAuthorizer}, which decides exactly as it does;
 * our own class name is accepted too. Kafka 3's ZooKeeper {@code kafka.security.authorizer.AclAuthorizer} is refused
 * with a pointer to the replacement, as Kafka 4 itself cannot load it; anything else is refused rather than silently
 * serving an unprotected broker.
 */
public final class AuthorizerNames {
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    public static final String TRIBUTARY_AUTHORIZER = "io.tributary.broker.security.acl.AclAuthorizer";
    public static final String REMOVED_ZK_AUTHORIZER = "kafka.security.authorizer.AclAuthorizer";

    private static final Set<String> ACCEPTED = Set.of(STANDARD_AUTHORIZER, TRIBUTARY_AUTHORIZER);

    private AuthorizerNames() {}

    /** Whether ACLs are enforced; throws a ConfigException naming the key for a value we cannot honour. */
    public static boolean enabled(BrokerConfig config) {
        String name = config.getString(BrokerConfig.AUTHORIZER_CLASS_NAME);
        if (name == null || name.isBlank()) {
            return false;
        }
        name = name.trim();
        if (ACCEPTED.contains(name)) {
            return true;
        }
        if (name.equals(REMOVED_ZK_AUTHORIZER)) {
            throw new ConfigException(
                    BrokerConfig.AUTHORIZER_CLASS_NAME,
                    name,
                    "the ZooKeeper AclAuthorizer was removed in Kafka 4.0; use " + STANDARD_AUTHORIZER);
        }
        throw new ConfigException(
                BrokerConfig.AUTHORIZER_CLASS_NAME,
                name,
                "unknown authorizer; Tributary supports " + STANDARD_AUTHORIZER + " (or " + TRIBUTARY_AUTHORIZER + ")");
    }
}
