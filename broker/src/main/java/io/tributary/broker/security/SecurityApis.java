package io.tributary.broker.security;

import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AlterUserScramCredentialsRequestData;
import io.tributary.protocol.message.AlterUserScramCredentialsResponseData;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.CreateAclsRequestData;
import io.tributary.protocol.message.CreateAclsResponseData;
import io.tributary.protocol.message.DeleteAclsRequestData;
import io.tributary.protocol.message.DeleteAclsResponseData;
import io.tributary.protocol.message.DescribeAclsRequestData;
import io.tributary.protocol.message.DescribeAclsResponseData;
import io.tributary.protocol.message.DescribeUserScramCredentialsRequestData;
import io.tributary.protocol.message.DescribeUserScramCredentialsResponseData;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Registers the APIs that manage the metadata store, each behind the cluster permission Kafka requires: ALTER for
 * CreateAcls, DeleteAcls and AlterUserScramCredentials, DESCRIBE for DescribeAcls and DescribeUserScramCredentials.
 * A refusal is CLUSTER_AUTHORIZATION_FAILED in every entry the request named, as Kafka's {@code getErrorResponse}
 * builds it. Stateless.
 */
final class SecurityApis {
    private static final String DENIED = Errors.CLUSTER_AUTHORIZATION_FAILED.message();

    private SecurityApis() {}

    static void register(
            ApiRegistry apis, Supplier<RequestAuthorizer> authorizer, BrokerMetadataStore store, boolean enabled) {
        ScramCredentialApis users = new ScramCredentialApis(store);
        AclApis acls = new AclApis(store, enabled);
        apis.register(ApiMessageType.DESCRIBE_USER_SCRAM_CREDENTIALS, request -> {
            DescribeUserScramCredentialsRequestData body = request.body();
            if (!allowed(authorizer, request, AclOperation.DESCRIBE)) {
                return done(
                        request,
                        new DescribeUserScramCredentialsResponseData()
                                .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                                .setErrorMessage(DENIED));
            }
            return done(request, users.describe(body));
        });
        apis.register(ApiMessageType.ALTER_USER_SCRAM_CREDENTIALS, request -> {
            AlterUserScramCredentialsRequestData body = request.body();
            if (!allowed(authorizer, request, AclOperation.ALTER)) {
                return done(request, alterUsersDenied(body));
            }
            return users.alter(body).thenApply(r -> Response.of(request, r));
        });
        apis.register(ApiMessageType.DESCRIBE_ACLS, request -> {
            DescribeAclsRequestData body = request.body();
            if (!allowed(authorizer, request, AclOperation.DESCRIBE)) {
                return done(
                        request,
                        new DescribeAclsResponseData()
                                .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                                .setErrorMessage(DENIED));
            }
            return done(request, acls.describe(body));
        });
        apis.register(ApiMessageType.CREATE_ACLS, request -> {
            CreateAclsRequestData body = request.body();
            if (!allowed(authorizer, request, AclOperation.ALTER)) {
                CreateAclsResponseData denied = new CreateAclsResponseData();
                for (int i = 0; i < body.creations.size(); i++) {
                    denied.results.add(new CreateAclsResponseData.AclCreationResult()
                            .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(DENIED));
                }
                return done(request, denied);
            }
            return acls.create(body).thenApply(r -> Response.of(request, r));
        });
        apis.register(ApiMessageType.DELETE_ACLS, request -> {
            DeleteAclsRequestData body = request.body();
            if (!allowed(authorizer, request, AclOperation.ALTER)) {
                DeleteAclsResponseData denied = new DeleteAclsResponseData();
                for (int i = 0; i < body.filters.size(); i++) {
                    denied.filterResults.add(new DeleteAclsResponseData.DeleteAclsFilterResult()
                            .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(DENIED)
                            .setMatchingAcls(new ArrayList<>()));
                }
                return done(request, denied);
            }
            return acls.delete(body).thenApply(r -> Response.of(request, r));
        });
    }

    private static boolean allowed(Supplier<RequestAuthorizer> authorizer, Request request, AclOperation op) {
        return authorizer.get().authorizeCluster(request, op);
    }

    private static CompletableFuture<Response> done(Request request, io.tributary.protocol.ApiMessage body) {
        return CompletableFuture.completedFuture(Response.of(request, body));
    }

    /** One result per user named, as Kafka's AlterUserScramCredentialsRequest.getErrorResponse answers. */
    private static AlterUserScramCredentialsResponseData alterUsersDenied(AlterUserScramCredentialsRequestData body) {
        Set<String> names = new LinkedHashSet<>();
        body.deletions.forEach(d -> names.add(d.name));
        body.upsertions.forEach(u -> names.add(u.name));
        AlterUserScramCredentialsResponseData out = new AlterUserScramCredentialsResponseData();
        for (String name : names) {
            out.results.add(new AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult()
                    .setUser(name)
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(DENIED));
        }
        return out;
    }
}
