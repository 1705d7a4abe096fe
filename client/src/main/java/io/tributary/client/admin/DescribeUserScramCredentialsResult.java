package io.tributary.client.admin;

import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.errors.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The result of describeUserScramCredentials (Kafka's class of the same name). One response answers for every user;
 * a user's own error (e.g. {@link ResourceNotFoundException} for an unknown user) fails only that user's future,
 * and {@link #all()}.
 */
public class DescribeUserScramCredentialsResult {
    /** Per user, either its description or the exception its error code maps to. */
    private final CompletableFuture<Map<String, Object>> perUser;

    public DescribeUserScramCredentialsResult(CompletableFuture<Map<String, Object>> perUser) {
        this.perUser = perUser;
    }

    /** Every described user's credentials; fails with the first user error if any user failed. */
    public KafkaFuture<Map<String, UserScramCredentialsDescription>> all() {
        return KafkaFuture.wrap(perUser.thenApply(m -> {
            Map<String, UserScramCredentialsDescription> out = new LinkedHashMap<>();
            m.forEach((user, v) -> {
                if (v instanceof RuntimeException e) {
                    throw e;
                }
                out.put(user, (UserScramCredentialsDescription) v);
            });
            return out;
        }));
    }

    /** The users that were described without error. */
    public KafkaFuture<List<String>> users() {
        return KafkaFuture.wrap(perUser.thenApply(m -> {
            List<String> out = new ArrayList<>();
            m.forEach((user, v) -> {
                if (v instanceof UserScramCredentialsDescription) {
                    out.add(user);
                }
            });
            return out;
        }));
    }

    public KafkaFuture<UserScramCredentialsDescription> description(String userName) {
        return KafkaFuture.wrap(perUser.thenApply(m -> {
            Object v = m.get(userName);
            if (v == null) {
                throw new ResourceNotFoundException("No such user: " + userName);
            }
            if (v instanceof RuntimeException e) {
                throw e;
            }
            return (UserScramCredentialsDescription) v;
        }));
    }
}
