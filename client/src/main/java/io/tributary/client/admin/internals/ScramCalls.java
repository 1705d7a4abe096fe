package io.tributary.client.admin.internals;

import io.tributary.client.admin.ScramCredentialInfo;
import io.tributary.client.admin.ScramMechanism;
import io.tributary.client.admin.UserScramCredentialAlteration;
import io.tributary.client.admin.UserScramCredentialDeletion;
import io.tributary.client.admin.UserScramCredentialUpsertion;
import io.tributary.client.admin.UserScramCredentialsDescription;
import io.tributary.client.common.errors.DuplicateResourceException;
import io.tributary.client.common.errors.ResourceNotFoundException;
import io.tributary.client.common.errors.UnacceptableCredentialException;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.AlterUserScramCredentialsRequestData;
import io.tributary.protocol.message.AlterUserScramCredentialsResponseData;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.DescribeUserScramCredentialsRequestData;
import io.tributary.protocol.message.DescribeUserScramCredentialsResponseData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials (KIP-554), sent to any broker (the controller-backed
 * brokers forward). Upsertions are salted here: the password never goes on the wire. Stateless apart from the
 * runtime.
 */
public final class ScramCalls {
    private final AdminRuntime runtime;

    public ScramCalls(AdminRuntime runtime) {
        this.runtime = runtime;
    }

    /** @param users null or empty for every user with credentials */
    public CompletableFuture<Map<String, Object>> describe(List<String> users, long deadlineMs) {
        return runtime.single("describeUserScramCredentials", deadlineMs, now -> {
            DescribeUserScramCredentialsRequestData req = new DescribeUserScramCredentialsRequestData();
            if (users == null || users.isEmpty()) {
                req.users = null;
            } else {
                users.forEach(u -> req.users.add(new DescribeUserScramCredentialsRequestData.UserName().setName(u)));
            }
            return runtime.sendAny(ApiMessageType.DESCRIBE_USER_SCRAM_CREDENTIALS, req, now)
                    .thenApply(resp -> {
                        DescribeUserScramCredentialsResponseData data = resp.data();
                        Errors top = Errors.forCode(data.errorCode);
                        if (top != Errors.NONE) {
                            throw forUser(top, "describeUserScramCredentials", data.errorMessage);
                        }
                        Map<String, Object> out = new LinkedHashMap<>();
                        for (DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult r :
                                data.results) {
                            Errors e = Errors.forCode(r.errorCode);
                            if (e != Errors.NONE) {
                                out.put(r.user, forUser(e, "User '" + r.user + "'", r.errorMessage));
                                continue;
                            }
                            List<ScramCredentialInfo> infos = new ArrayList<>();
                            r.credentialInfos.forEach(c -> infos.add(
                                    new ScramCredentialInfo(ScramMechanism.fromType(c.mechanism), c.iterations)));
                            out.put(r.user, new UserScramCredentialsDescription(r.user, infos));
                        }
                        return out;
                    });
        });
    }

    public Map<String, CompletableFuture<Void>> alter(
            List<UserScramCredentialAlteration> alterations, long deadlineMs) {
        Set<String> users = new LinkedHashSet<>();
        alterations.forEach(a -> users.add(a.user()));
        Map<String, RuntimeException> invalid = new HashMap<>();
        List<UserScramCredentialAlteration> valid = new ArrayList<>();
        Map<UserScramCredentialUpsertion, byte[]> salted = new HashMap<>();
        for (UserScramCredentialAlteration a : alterations) {
            ScramMechanism m = a instanceof UserScramCredentialUpsertion u
                    ? u.credentialInfo().mechanism()
                    : ((UserScramCredentialDeletion) a).mechanism();
            // As Kafka's client: an unknown mechanism fails that user without a request.
            if (m == ScramMechanism.UNKNOWN) {
                invalid.putIfAbsent(
                        a.user(),
                        new UnacceptableCredentialException("User '" + a.user() + "': unknown SCRAM mechanism"));
                continue;
            }
            if (a instanceof UserScramCredentialUpsertion u) {
                try {
                    salted.put(u, saltedPassword(u));
                } catch (RuntimeException e) {
                    invalid.putIfAbsent(
                            a.user(),
                            new UnacceptableCredentialException("User '" + a.user() + "': " + e.getMessage()));
                    continue;
                }
            }
            valid.add(a);
        }
        return runtime.batch("alterUserScramCredentials", users, deadlineMs, (open, now) -> {
            Map<String, Outcome<Void>> out = new HashMap<>();
            AlterUserScramCredentialsRequestData req = new AlterUserScramCredentialsRequestData();
            for (UserScramCredentialAlteration a : valid) {
                if (!open.contains(a.user()) || invalid.containsKey(a.user())) {
                    continue;
                }
                if (a instanceof UserScramCredentialUpsertion u) {
                    req.upsertions.add(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion()
                            .setName(u.user())
                            .setMechanism(u.credentialInfo().mechanism().type())
                            .setIterations(u.credentialInfo().iterations())
                            .setSalt(u.salt())
                            .setSaltedPassword(salted.get(u)));
                } else {
                    UserScramCredentialDeletion d = (UserScramCredentialDeletion) a;
                    req.deletions.add(new AlterUserScramCredentialsRequestData.ScramCredentialDeletion()
                            .setName(d.user())
                            .setMechanism(d.mechanism().type()));
                }
            }
            invalid.forEach((user, e) -> {
                if (open.contains(user)) {
                    out.put(user, Outcome.failed(e));
                }
            });
            if (req.upsertions.isEmpty() && req.deletions.isEmpty()) {
                return CompletableFuture.completedFuture(out);
            }
            return runtime.sendAny(ApiMessageType.ALTER_USER_SCRAM_CREDENTIALS, req, now)
                    .thenApply(resp -> {
                        AlterUserScramCredentialsResponseData data = resp.data();
                        for (AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult r : data.results) {
                            Errors e = Errors.forCode(r.errorCode);
                            out.put(
                                    r.user,
                                    e == Errors.NONE
                                            ? Outcome.ok(null)
                                            : Outcome.failed(forUser(e, "User '" + r.user + "'", r.errorMessage)));
                        }
                        return out;
                    });
        });
    }

    /** Hi(password, salt, iterations) with the mechanism's HMAC, the arithmetic the SCRAM login shares. */
    private static byte[] saltedPassword(UserScramCredentialUpsertion u) {
        io.tributary.protocol.sasl.ScramMechanism m = io.tributary.protocol.sasl.ScramMechanism.fromCode(
                        u.credentialInfo().mechanism().type())
                .orElseThrow(() -> new IllegalArgumentException("unknown SCRAM mechanism"));
        if (u.credentialInfo().iterations() <= 0) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        return m.saltedPassword(
                new String(u.password(), StandardCharsets.UTF_8),
                u.salt(),
                u.credentialInfo().iterations());
    }

    static RuntimeException forUser(Errors error, String entity, String brokerMessage) {
        String context = brokerMessage == null || brokerMessage.isEmpty() ? entity : entity + ": " + brokerMessage;
        return switch (error) {
            case RESOURCE_NOT_FOUND -> new ResourceNotFoundException(context);
            case DUPLICATE_RESOURCE -> new DuplicateResourceException(context);
            case UNACCEPTABLE_CREDENTIAL -> new UnacceptableCredentialException(context);
            default -> AdminErrors.forEntity(error, entity, brokerMessage);
        };
    }
}
