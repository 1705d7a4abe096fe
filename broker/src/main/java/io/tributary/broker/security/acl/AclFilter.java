package io.tributary.broker.security.acl;

/**
 * A filter over ACLs as DescribeAcls and DeleteAcls carry it: ANY (or a null string) matches everything in that field;
 * the pattern filter ANY matches the exact name under any pattern type, MATCH matches every ACL that applies to a
 * resource of that name (literal, the wildcard, prefixes of it), LITERAL and PREFIXED match that pattern exactly.
 */
public record AclFilter(
        ResourceType resourceType,
        String resourceName,
        PatternType patternType,
        String principal,
        String host,
        AclOperation operation,
        AclPermission permission) {

    /** Why this filter is unusable (INVALID_REQUEST), or null. */
    public String invalidReason() {
        if (resourceType == ResourceType.UNKNOWN) {
            return "unknown resource type";
        }
        if (patternType == PatternType.UNKNOWN) {
            return "unknown pattern type";
        }
        if (operation == AclOperation.UNKNOWN) {
            return "unknown operation";
        }
        if (permission == AclPermission.UNKNOWN) {
            return "unknown permission type";
        }
        return null;
    }

    public boolean matches(AclBinding acl) {
        return (resourceType == ResourceType.ANY || resourceType == acl.resourceType())
                && matchesPattern(acl)
                && (principal == null || principal.equals(acl.principal()))
                && (host == null || host.equals(acl.host()))
                && (operation == AclOperation.ANY || operation == acl.operation())
                && (permission == AclPermission.ANY || permission == acl.permission());
    }

    private boolean matchesPattern(AclBinding acl) {
        return switch (patternType) {
            case ANY -> resourceName == null || resourceName.equals(acl.resourceName());
            case MATCH -> resourceName == null || acl.matchesResource(acl.resourceType(), resourceName);
            case LITERAL, PREFIXED ->
                patternType == acl.patternType() && (resourceName == null || resourceName.equals(acl.resourceName()));
            default -> false;
        };
    }
}
