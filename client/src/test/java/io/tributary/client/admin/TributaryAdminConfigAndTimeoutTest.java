package io.tributary.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.errors.TimeoutException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 2, bad input: Kafka's admin defaults; a bad value fails at construction naming
 * the key; with no broker reachable a call fails with TimeoutException at its own deadline and
 * close never hangs past its timeout.
 */
class TributaryAdminConfigAndTimeoutTest {
    @Test
    void defaultsAreKafkasAndBadValuesNameTheKey() {
        AdminClientConfig c = new AdminClientConfig(Map.of("bootstrap.servers", "localhost:9092"));
        assertThat(c.getInt(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(30_000);
        assertThat(c.getInt(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)).isEqualTo(60_000);
        assertThat(c.getInt(AdminClientConfig.RETRIES_CONFIG)).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.getLong(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(100L);
        assertThat(c.getLong(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG)).isEqualTo(1000L);
        assertThat(c.getString(AdminClientConfig.CLIENT_ID_CONFIG)).isEmpty();

        assertThatThrownBy(() -> new AdminClientConfig(
                        Map.of("bootstrap.servers", "localhost:9092", "request.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("request.timeout.ms");
        assertThatThrownBy(() -> new AdminClientConfig(Map.of("client.id", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> new AdminClientConfig(
                        Map.of("bootstrap.servers", "localhost:9092", "security.protocol", "CARRIER_PIGEON")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.protocol");
    }

    @Test
    void unreachableClusterTimesOutAtTheCallDeadlineAndCloseIsBounded() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections to it are refused
        }
        Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + port, "reconnect.backoff.max.ms", 100));
        long start = System.nanoTime();
        ListTopicsResult r = admin.listTopics(new ListTopicsOptions().timeoutMs(500));
        assertThatThrownBy(() -> r.names().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);

        // A pending call with a long deadline is failed by close(timeout), which returns in time.
        DescribeTopicsResult pending = admin.describeTopics(List.of("t"));
        long closeStart = System.nanoTime();
        admin.close(Duration.ofMillis(300));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart))
                .isLessThan(5_000);
        assertThatThrownBy(() -> pending.topicNameValues().get("t").get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class);
        // After close, calls fail at once instead of hanging.
        assertThatThrownBy(() -> admin.listTopics().names().get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class);
    }
}
