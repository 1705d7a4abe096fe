package io.tributary.broker.security.acl;

import java.util.List;
import java.util.Set;

/**
 * The decision Kafka's StandardAuthorizer makes, on an immutable set of ACLs: super users may do anything; otherwise a
 * matching DENY wins, then a matching ALLOW (with READ, WRITE, DELETE and ALTER implying DESCRIBE, ALTER_CONFIGS
 * implying DESCRIBE_CONFIGS); a resource with no ACL at all, for anyone, is decided by
 * {@code allow.everyone.if.no.acl.found}. Immutable and thread-safe: a change of ACLs makes a new instance, which the
 * owner publishes.
 */
public final class AclAuthorizer {
    private final List<AclBinding> acls;
    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;

    public AclAuthorizer(List<AclBinding> acls, Set<String> superUsers, boolean allowIfNoAcl) {
        this.acls = List.copyOf(acls);
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
    }

    /** {@code super.users}: principals separated by semicolons, e.g. {@code User:admin;User:ops}. */
    public static Set<String> parseSuperUsers(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Set.of(java.util.Arrays.stream(value.split(";"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toArray(String[]::new));
    }

    public List<AclBinding> acls() {
        return acls;
    }

    public AclAuthorizer withAcls(List<AclBinding> newAcls) {
        return new AclAuthorizer(newAcls, superUsers, allowIfNoAcl);
    }

    public boolean authorize(String principal, String host, AclOperation operation, ResourceType type, String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        boolean anyAclOnResource = false;
        boolean allowed = false;
        for (AclBinding acl : acls) {
            if (!acl.matchesResource(type, name)) {
                continue;
            }
            anyAclOnResource = true;
            if (!principalMatches(acl.principal(), principal) || !hostMatches(acl.host(), host)) {
                continue;
            }
            if (acl.permission() == AclPermission.DENY && acl.operation().denyCovers(operation)) {
                return false;
            }
            if (acl.permission() == AclPermission.ALLOW && acl.operation().allowImplies(operation)) {
                allowed = true;
            }
        }
        return allowed || (!anyAclOnResource && allowIfNoAcl);
    }

    private static boolean principalMatches(String aclPrincipal, String principal) {
        return aclPrincipal.equals(principal) || aclPrincipal.equals(AclBinding.WILDCARD_PRINCIPAL);
    }

    private static boolean hostMatches(String aclHost, String host) {
        return aclHost.equals(AclBinding.WILDCARD_HOST) || aclHost.equals(host);
    }
}
