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

    /**
     * Kafka's {@code Authorizer.authorizeByResourceType} (StandardAuthorizer keeps the interface's default): whether
     * the principal may perform {@code operation} on at least one resource of the type. First the decision for a
     * made-up name (so super users, a wildcard ALLOW and allow.everyone.if.no.acl.found count); then an ALLOW on
     * the operation or ALL wins unless a DENY on a wildcard, the same literal name or a prefix of it covers it.
     */
    public boolean authorizeByResourceType(String principal, String host, AclOperation operation, ResourceType type) {
        if (authorize(principal, host, operation, type, "hardcode")) {
            return true;
        }
        Set<String> denyLiteral = new java.util.HashSet<>();
        Set<String> denyPrefixed = new java.util.HashSet<>();
        List<AclBinding> allows = new java.util.ArrayList<>();
        boolean wildcardAllow = false;
        for (AclBinding acl : acls) {
            if (acl.resourceType() != type
                    || !hostMatches(acl.host(), host)
                    || !principalMatches(acl.principal(), principal)
                    || (acl.operation() != operation && acl.operation() != AclOperation.ALL)) {
                continue;
            }
            boolean literal = acl.patternType() == PatternType.LITERAL;
            if (!literal && acl.patternType() != PatternType.PREFIXED) {
                continue;
            }
            if (acl.permission() == AclPermission.DENY) {
                if (literal && acl.resourceName().equals(AclBinding.WILDCARD_RESOURCE)) {
                    return false;
                }
                (literal ? denyLiteral : denyPrefixed).add(acl.resourceName());
            } else if (acl.permission() == AclPermission.ALLOW) {
                if (literal && acl.resourceName().equals(AclBinding.WILDCARD_RESOURCE)) {
                    wildcardAllow = true;
                } else {
                    allows.add(acl);
                }
            }
        }
        if (wildcardAllow) {
            return true;
        }
        for (AclBinding allow : allows) {
            String name = allow.resourceName();
            if (allow.patternType() == PatternType.LITERAL && denyLiteral.contains(name)) {
                continue;
            }
            boolean dominated = false;
            for (int i = 1; i <= name.length() && !dominated; i++) {
                dominated = denyPrefixed.contains(name.substring(0, i));
            }
            if (!dominated) {
                return true;
            }
        }
        return false;
    }

    private static boolean principalMatches(String aclPrincipal, String principal) {
        return aclPrincipal.equals(principal) || aclPrincipal.equals(AclBinding.WILDCARD_PRINCIPAL);
    }

    private static boolean hostMatches(String aclHost, String host) {
        return aclHost.equals(AclBinding.WILDCARD_HOST) || aclHost.equals(host);
    }
}
