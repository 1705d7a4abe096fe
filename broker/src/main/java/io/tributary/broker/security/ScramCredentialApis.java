package io.tributary.broker.security;

import io.tributary.broker.metadata.BrokerMetadataStore;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AlterUserScramCredentialsRequestData;
import io.tributary.protocol.message.AlterUserScramCredentialsResponseData;
import io.tributary.protocol.message.DescribeUserScramCredentialsRequestData;
import io.tributary.protocol.message.DescribeUserScramCredentialsResponseData;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials (KIP-554) over the metadata store, with Kafka's
 * per-user errors: RESOURCE_NOT_FOUND, DUPLICATE_RESOURCE, UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM. The
 * client sends salted passwords, never passwords; we store only salt, StoredKey and ServerKey. The caller has already
 * checked that the principal may DESCRIBE or ALTER the cluster.
 */
public final class ScramCredentialApis {
    private final BrokerMetadataStore store;

    public ScramCredentialApis(BrokerMetadataStore store) {
        this.store = store;
    }

    public DescribeUserScramCredentialsResponseData describe(DescribeUserScramCredentialsRequestData request) {
        MetadataImage image = store.image();
        List<String> users = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        // No list or an empty one means every user, as Kafka's Admin#describeUserScramCredentials() sends it.
        if (request.users == null || request.users.isEmpty()) {
            users.addAll(image.scramUsers().keySet());
        } else {
            for (DescribeUserScramCredentialsRequestData.UserName u : request.users) {
                if (counts.merge(u.name, 1, Integer::sum) == 1) {
                    users.add(u.name);
                }
            }
        }
        List<DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult> results = new ArrayList<>();
        for (String user : users) {
            var result = new DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult()
                    .setUser(user)
                    .setCredentialInfos(new ArrayList<>());
            Map<ScramMechanism, ScramCredential> credentials =
                    image.scramUsers().get(user);
            if (counts.getOrDefault(user, 1) > 1) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                        .setErrorMessage(
                                "Cannot describe SCRAM credentials for the same user twice in a single request: "
                                        + user);
            } else if (credentials == null) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to describe nonexistent user: " + user);
            } else {
                credentials.forEach((m, c) ->
                        result.credentialInfos.add(new DescribeUserScramCredentialsResponseData.CredentialInfo()
                                .setMechanism(m.code())
                                .setIterations(c.iterations())));
            }
            results.add(result);
        }
        return new DescribeUserScramCredentialsResponseData().setResults(results);
    }

    public CompletableFuture<AlterUserScramCredentialsResponseData> alter(
            AlterUserScramCredentialsRequestData request) {
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Errors> codes = new HashMap<>();
        // Kafka refuses a user named twice in one request, even for two mechanisms, and then changes nothing of it.
        Map<String, Integer> seen = new HashMap<>();
        List<String> users = new ArrayList<>();
        for (var d : request.deletions) {
            note(users, d.name);
            seen.merge(d.name, 1, Integer::sum);
        }
        for (var u : request.upsertions) {
            note(users, u.name);
            seen.merge(u.name, 1, Integer::sum);
        }
        MetadataImage image = store.image();
        for (var d : request.deletions) {
            Optional<ScramMechanism> m = ScramMechanism.fromCode(d.mechanism);
            String problem = commonProblem(d.name, d.mechanism, m, seen, codes);
            if (problem == null && image.scramCredential(d.name, m.get()).isEmpty()) {
                codes.put(d.name, Errors.RESOURCE_NOT_FOUND);
                problem = "Attempt to delete a user credential that does not exist";
            }
            if (problem != null) {
                errors.putIfAbsent(d.name, problem);
            }
        }
        for (var u : request.upsertions) {
            Optional<ScramMechanism> m = ScramMechanism.fromCode(u.mechanism);
            String problem = commonProblem(u.name, u.mechanism, m, seen, codes);
            if (problem == null
                    && (u.iterations < ScramMechanism.MIN_ITERATIONS || u.iterations > ScramMechanism.MAX_ITERATIONS)) {
                codes.put(u.name, Errors.UNACCEPTABLE_CREDENTIAL);
                problem = "Iterations " + u.iterations + " must be between " + ScramMechanism.MIN_ITERATIONS + " and "
                        + ScramMechanism.MAX_ITERATIONS;
            }
            if (problem == null
                    && (u.salt == null
                            || u.salt.length == 0
                            || u.saltedPassword == null
                            || u.saltedPassword.length == 0)) {
                codes.put(u.name, Errors.UNACCEPTABLE_CREDENTIAL);
                problem = "Salt and salted password must not be empty";
            }
            if (problem != null) {
                errors.putIfAbsent(u.name, problem);
            }
        }
        // A user with any bad entry changes nothing, as in Kafka; the others are applied in request order.
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (var d : request.deletions) {
            if (!errors.containsKey(d.name)) {
                ScramMechanism m = ScramMechanism.fromCode(d.mechanism).orElseThrow();
                chain = chain.thenCompose(v -> store.deleteScram(d.name, m)).thenApply(existed -> null);
            }
        }
        for (var u : request.upsertions) {
            if (!errors.containsKey(u.name)) {
                ScramMechanism m = ScramMechanism.fromCode(u.mechanism).orElseThrow();
                ScramCredential credential = m.credentialFromSaltedPassword(u.salt, u.saltedPassword, u.iterations);
                chain = chain.thenCompose(v -> store.upsertScram(u.name, m, credential));
            }
        }
        return chain.handle((v, t) -> {
            List<AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult> results = new ArrayList<>();
            for (String user : users) {
                var r = new AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult().setUser(user);
                if (errors.containsKey(user)) {
                    r.setErrorCode(codes.get(user).code()).setErrorMessage(errors.get(user));
                } else if (t != null) {
                    r.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code())
                            .setErrorMessage("The credentials could not be stored");
                }
                results.add(r);
            }
            return new AlterUserScramCredentialsResponseData().setResults(results);
        });
    }

    private static String commonProblem(
            String user,
            byte code,
            Optional<ScramMechanism> mechanism,
            Map<String, Integer> seen,
            Map<String, Errors> codes) {
        if (user == null || user.isEmpty()) {
            codes.put(user, Errors.UNACCEPTABLE_CREDENTIAL);
            return "Username must not be empty";
        }
        if (mechanism.isEmpty()) {
            codes.put(user, Errors.UNSUPPORTED_SASL_MECHANISM);
            return "Unknown SCRAM mechanism " + code;
        }
        if (seen.get(user) > 1) {
            codes.put(user, Errors.DUPLICATE_RESOURCE);
            return "A user credential cannot be altered twice in the same request";
        }
        return null;
    }

    private static void note(List<String> users, String user) {
        if (!users.contains(user)) {
            users.add(user);
        }
    }
}
