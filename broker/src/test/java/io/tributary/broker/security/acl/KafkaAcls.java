package io.tributary.broker.security.acl;

/** Our ACL types as Apache Kafka's, for tests that compare our decisions and filters with Kafka's own. */
public final class KafkaAcls {
    private KafkaAcls() {}

    public static org.apache.kafka.common.acl.AclBinding toKafka(AclBinding a) {
        return new org.apache.kafka.common.acl.AclBinding(
                new org.apache.kafka.common.resource.ResourcePattern(
                        org.apache.kafka.common.resource.ResourceType.fromCode(
                                a.resourceType().code()),
                        a.resourceName(),
                        org.apache.kafka.common.resource.PatternType.fromCode(
                                a.patternType().code())),
                new org.apache.kafka.common.acl.AccessControlEntry(
                        a.principal(),
                        a.host(),
                        org.apache.kafka.common.acl.AclOperation.fromCode(
                                a.operation().code()),
                        org.apache.kafka.common.acl.AclPermissionType.fromCode(
                                a.permission().code())));
    }

    public static org.apache.kafka.common.acl.AclBindingFilter toKafka(AclFilter f) {
        return new org.apache.kafka.common.acl.AclBindingFilter(
                new org.apache.kafka.common.resource.ResourcePatternFilter(
                        org.apache.kafka.common.resource.ResourceType.fromCode(
                                f.resourceType().code()),
                        f.resourceName(),
                        org.apache.kafka.common.resource.PatternType.fromCode(
                                f.patternType().code())),
                new org.apache.kafka.common.acl.AccessControlEntryFilter(
                        f.principal(),
                        f.host(),
                        org.apache.kafka.common.acl.AclOperation.fromCode(
                                f.operation().code()),
                        org.apache.kafka.common.acl.AclPermissionType.fromCode(
                                f.permission().code())));
    }
}
