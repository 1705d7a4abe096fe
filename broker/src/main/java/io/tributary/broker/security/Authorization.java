package io.tributary.broker.security;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.broker.network.Request;
import io.tributary.broker.security.acl.AclAuthorizer;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The decision for one request when an authorizer is configured: the request's principal and client address against
 * the ACLs of the current durable metadata image, with {@code super.users} and
 * {@code allow.everyone.if.no.acl.found}. A grant is used from the moment its image is published, so ACL changes
 * apply to the next request without a restart, and never before they are durable. Thread-safe and lock-free: each
 * image's decision object is built once and shared.
 */
public final class Authorization implements RequestAuthorizer {
    private final Supplier<MetadataImage> images;
    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;
    private volatile Decision current;

    private record Decision(MetadataImage image, AclAuthorizer authorizer) {}

    public Authorization(Supplier<MetadataImage> images, Set<String> superUsers, boolean allowIfNoAcl) {
        this.images = images;
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
    }

    /** The settings of a broker configuration ({@code super.users}, {@code allow.everyone.if.no.acl.found}). */
    public static Authorization fromConfig(BrokerConfig config, Supplier<MetadataImage> images) {
        return new Authorization(
                images,
                AclAuthorizer.parseSuperUsers(config.getString(BrokerConfig.SUPER_USERS)),
                config.getBoolean(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND));
    }

    @Override
    public boolean authorize(Request request, AclOperation operation, ResourceType type, String name) {
        return authorizer().authorize(request.principal(), request.connection().clientHost(), operation, type, name);
    }

    @Override
    public boolean authorizeAny(Request request, AclOperation operation, ResourceType type) {
        return authorizer()
                .authorizeByResourceType(
                        request.principal(), request.connection().clientHost(), operation, type);
    }

    private AclAuthorizer authorizer() {
        MetadataImage image = images.get();
        Decision d = current;
        if (d == null || d.image() != image) {
            // Two threads may both rebuild after a change; either result is correct for that image.
            d = new Decision(image, new AclAuthorizer(image.acls(), superUsers, allowIfNoAcl));
            current = d;
        }
        return d.authorizer();
    }
}
