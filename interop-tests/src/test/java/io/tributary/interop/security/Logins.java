package io.tributary.interop.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One SASL login with Apache's AdminClient, for tests that add, remove or restore users. Stateless. */
final class Logins {
    private static final int TIMEOUT_MS = 5000;

    private Logins() {}

    /**
     * Logs in with {@code client} settings and asks for the cluster's nodes; returns null on success,
     * otherwise the error the client reported (e.g. SaslAuthenticationException).
     */
    static Throwable attempt(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        Admin admin = Admin.create(c);
        try {
            admin.describeCluster().nodes().get(TIMEOUT_MS + 10_000L, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
