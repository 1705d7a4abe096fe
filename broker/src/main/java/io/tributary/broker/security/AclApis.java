package io.tributary.broker.security;

import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.broker.security.acl.AclBinding;
import io.tributary.broker.security.acl.AclFilter;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.AclPermission;
import io.tributary.broker.security.acl.PatternType;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.CreateAclsRequestData;
import io.tributary.protocol.message.CreateAclsResponseData;
import io.tributary.protocol.message.DeleteAclsRequestData;
import io.tributary.protocol.message.DeleteAclsResponseData;
import io.tributary.protocol.message.DescribeAclsRequestData;
import io.tributary.protocol.message.DescribeAclsResponseData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * CreateAcls, DescribeAcls and DeleteAcls over the metadata store, as Kafka answers them: per-entry errors for bad
 * entries, SECURITY_DISABLED when no authorizer is configured, and answers only once changes are durable. The caller
 * has already checked that the principal may ALTER (create, delete) or DESCRIBE the cluster.
 */
public final class AclApis {
    private final BrokerMetadataStore store;
    private final boolean authorizerEnabled;

    public AclApis(BrokerMetadataStore store, boolean authorizerEnabled) {
        this.store = store;
        this.authorizerEnabled = authorizerEnabled;
    }

    public CompletableFuture<CreateAclsResponseData> create(CreateAclsRequestData request) {
        List<CreateAclsResponseData.AclCreationResult> results = new ArrayList<>();
        List<AclBinding> valid = new ArrayList<>();
        for (CreateAclsRequestData.AclCreation c : request.creations) {
            CreateAclsResponseData.AclCreationResult result = new CreateAclsResponseData.AclCreationResult();
            results.add(result);
            if (!authorizerEnabled) {
                disabled(result);
                continue;
            }
            Optional<AclBinding> acl = binding(c);
            String invalid = acl.isEmpty()
                    ? "unknown resource, pattern, operation or permission code"
                    : acl.get().invalidReason();
            if (invalid != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Invalid ACL: " + invalid);
            } else {
                valid.add(acl.get());
            }
        }
        CreateAclsResponseData response = new CreateAclsResponseData().setResults(results);
        if (valid.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return store.createAcls(valid).handle((v, t) -> {
            if (t != null) {
                for (CreateAclsResponseData.AclCreationResult r : results) {
                    if (r.errorCode == Errors.NONE.code()) {
                        r.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code())
                                .setErrorMessage("The ACLs could not be stored");
                    }
                }
            }
            return response;
        });
    }

    public DescribeAclsResponseData describe(DescribeAclsRequestData request) {
        DescribeAclsResponseData response = new DescribeAclsResponseData();
        if (!authorizerEnabled) {
            return response.setErrorCode(Errors.SECURITY_DISABLED.code())
                    .setErrorMessage("No Authorizer is configured on the broker");
        }
        Optional<AclFilter> filter = filter(
                request.resourceTypeFilter,
                request.resourceNameFilter,
                request.patternTypeFilter,
                request.principalFilter,
                request.hostFilter,
                request.operation,
                request.permissionType);
        String invalid =
                filter.isEmpty() ? "unknown code in the filter" : filter.get().invalidReason();
        if (invalid != null) {
            return response.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Invalid filter: " + invalid);
        }
        Map<List<Object>, DescribeAclsResponseData.DescribeAclsResource> byResource = new LinkedHashMap<>();
        for (AclBinding acl : store.image().acls()) {
            if (!filter.get().matches(acl)) {
                continue;
            }
            byResource
                    .computeIfAbsent(
                            List.of(acl.resourceType(), acl.resourceName(), acl.patternType()),
                            k -> new DescribeAclsResponseData.DescribeAclsResource()
                                    .setResourceType(acl.resourceType().code())
                                    .setResourceName(acl.resourceName())
                                    .setPatternType(acl.patternType().code())
                                    .setAcls(new ArrayList<>()))
                    .acls
                    .add(new DescribeAclsResponseData.AclDescription()
                            .setPrincipal(acl.principal())
                            .setHost(acl.host())
                            .setOperation(acl.operation().code())
                            .setPermissionType(acl.permission().code()));
        }
        return response.setResources(new ArrayList<>(byResource.values()));
    }

    public CompletableFuture<DeleteAclsResponseData> delete(DeleteAclsRequestData request) {
        List<DeleteAclsResponseData.DeleteAclsFilterResult> results = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (DeleteAclsRequestData.DeleteAclsFilter f : request.filters) {
            DeleteAclsResponseData.DeleteAclsFilterResult result =
                    new DeleteAclsResponseData.DeleteAclsFilterResult().setMatchingAcls(new ArrayList<>());
            results.add(result);
            if (!authorizerEnabled) {
                result.setErrorCode(Errors.SECURITY_DISABLED.code())
                        .setErrorMessage("No Authorizer is configured on the broker");
                continue;
            }
            Optional<AclFilter> filter = filter(
                    f.resourceTypeFilter,
                    f.resourceNameFilter,
                    f.patternTypeFilter,
                    f.principalFilter,
                    f.hostFilter,
                    f.operation,
                    f.permissionType);
            String invalid = filter.isEmpty()
                    ? "unknown code in the filter"
                    : filter.get().invalidReason();
            if (invalid != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Invalid filter: " + invalid);
                continue;
            }
            // Filters apply one after the other, as Kafka applies them, so each reports what it removed.
            chain = chain.thenCompose(v -> store.deleteAcls(filter.get()::matches))
                    .handle((deleted, t) -> {
                        if (t != null) {
                            result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code())
                                    .setErrorMessage("The ACLs could not be deleted");
                            return null;
                        }
                        for (AclBinding acl : deleted) {
                            result.matchingAcls.add(new DeleteAclsResponseData.DeleteAclsMatchingAcl()
                                    .setResourceType(acl.resourceType().code())
                                    .setResourceName(acl.resourceName())
                                    .setPatternType(acl.patternType().code())
                                    .setPrincipal(acl.principal())
                                    .setHost(acl.host())
                                    .setOperation(acl.operation().code())
                                    .setPermissionType(acl.permission().code()));
                        }
                        return null;
                    });
        }
        return chain.thenApply(v -> new DeleteAclsResponseData().setFilterResults(results));
    }

    private static void disabled(CreateAclsResponseData.AclCreationResult result) {
        result.setErrorCode(Errors.SECURITY_DISABLED.code())
                .setErrorMessage("No Authorizer is configured on the broker");
    }

    private static Optional<AclBinding> binding(CreateAclsRequestData.AclCreation c) {
        Optional<ResourceType> type = ResourceType.fromCode(c.resourceType);
        Optional<PatternType> pattern = PatternType.fromCode(c.resourcePatternType);
        Optional<AclOperation> op = AclOperation.fromCode(c.operation);
        Optional<AclPermission> permission = AclPermission.fromCode(c.permissionType);
        if (type.isEmpty() || pattern.isEmpty() || op.isEmpty() || permission.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AclBinding(
                type.get(),
                nullToEmpty(c.resourceName),
                pattern.get(),
                nullToEmpty(c.principal),
                nullToEmpty(c.host),
                op.get(),
                permission.get()));
    }

    private static Optional<AclFilter> filter(
            byte type, String name, byte pattern, String principal, String host, byte op, byte permission) {
        Optional<ResourceType> t = ResourceType.fromCode(type);
        Optional<PatternType> p = PatternType.fromCode(pattern);
        Optional<AclOperation> o = AclOperation.fromCode(op);
        Optional<AclPermission> perm = AclPermission.fromCode(permission);
        if (t.isEmpty() || p.isEmpty() || o.isEmpty() || perm.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AclFilter(t.get(), name, p.get(), principal, host, o.get(), perm.get()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
