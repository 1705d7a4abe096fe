package io.tributary.broker.security.acl;

import java.util.Objects;

/**
 * One access-control entry on one resource pattern, as Kafka's CreateAcls carries it. Principals are Kafka's
 * {@code Type:name} strings ({@code User:alice}, {@code User:*}); hosts are an address or {@code *}.
 */
public record AclBinding(
        ResourceType resourceType,
        String resourceName,
        PatternType patternType,
        String principal,
        String host,
        AclOperation operation,
        AclPermission permission) {
    public static final String WILDCARD_RESOURCE = "*";
    public static final String WILDCARD_PRINCIPAL = "User:*";
    public static final String WILDCARD_HOST = "*";

    public AclBinding {
        Objects.requireNonNull(resourceName, "resourceName");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
    }

    /**
     * Why this entry cannot be stored, or null if it can: the same checks that make Kafka's CreateAcls answer
     * INVALID_REQUEST, worded to name the bad field.
     */
    public String invalidReason() {
        if (resourceType == ResourceType.ANY || resourceType == ResourceType.UNKNOWN) {
            return "resource type must be concrete, not " + resourceType;
        }
        if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
            return "pattern type must be LITERAL or PREFIXED, not " + patternType;
        }
        if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
            return "operation must be concrete, not " + operation;
        }
        if (permission != AclPermission.ALLOW && permission != AclPermission.DENY) {
            return "permission must be ALLOW or DENY, not " + permission;
        }
        if (resourceName.isEmpty()) {
            return "resource name must not be empty";
        }
        if (patternType == PatternType.PREFIXED && resourceName.equals(WILDCARD_RESOURCE)) {
            return "a PREFIXED pattern cannot be the wildcard '*'";
        }
        if (resourceType == ResourceType.CLUSTER && !resourceName.equals(ResourceType.CLUSTER_NAME)) {
            return "the cluster resource is named '" + ResourceType.CLUSTER_NAME + "'";
        }
        int colon = principal.indexOf(':');
        if (colon <= 0 || colon == principal.length() - 1) {
            return "principal must be Type:name, e.g. User:alice, not '" + principal + "'";
        }
        if (host.isEmpty()) {
            return "host must be an address or '*'";
        }
        return null;
    }

    /** Whether this entry's resource pattern covers the named resource of this type. */
    boolean matchesResource(ResourceType type, String name) {
        if (resourceType != type) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> resourceName.equals(name) || resourceName.equals(WILDCARD_RESOURCE);
            case PREFIXED -> name.startsWith(resourceName);
            default -> false;
        };
    }
}
